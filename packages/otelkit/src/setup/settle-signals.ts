import { isOtlpExportError } from '../export/otlp-export-error.ts';
import type { Signal } from './setup-options.ts';

/** One signal's failure inside the `AggregateError` of `shutdown()` or `forceFlush()`. */
export class SignalError extends Error {
  override readonly name = 'SignalError';
  /** The signal that failed. */
  readonly signal: Signal;

  constructor(signal: Signal, action: string, cause: unknown) {
    // An export error already says what was lost, where and why: one line.
    super(
      isOtlpExportError(cause) ? cause.message : `${signal} ${action} failed: ${messageOf(cause)}`,
      { cause },
    );
    this.signal = signal;
  }
}

/** An error's message; the SDK's providers reject with an array of their processors' errors. */
function messageOf(cause: unknown): string {
  if (Array.isArray(cause)) return cause.map(messageOf).join('; ');
  return cause instanceof Error ? cause.message : String(cause);
}

/** One signal's flush or shutdown. */
export interface SignalTask {
  readonly signal: Signal;
  readonly run: () => Promise<unknown>;
  /** Where the signal's data goes, named when the task runs out of time. */
  readonly destination?: string | undefined;
}

/** Signals flushed or shut down together, and how long from the start they have to end. */
export interface SignalPhase {
  readonly tasks: readonly SignalTask[];
  readonly withinMs: number;
}

/**
 * The time of a flush or shutdown kept for the metrics, which go last: a
 * fifth of it, at most a second. A backend that swallows the spans' time
 * then still leaves the metrics (and the self-metrics counting that loss)
 * their chance.
 */
export function metricsShareMs(timeoutMs: number): number {
  return Math.min(1000, timeoutMs / 5);
}

/**
 * How much sooner than its phase otelkit's exporters are told to end: they
 * then settle on their own, counting what they cut short, before the phase's
 * own timeout (a safety net for other exporters) would give up on them.
 */
export function exporterGraceMs(withinMs: number): number {
  return Math.min(50, withinMs / 10);
}

/**
 * The phases of a flush or shutdown within `timeoutMs`: traces and logs
 * first, then metrics, whose export self-metrics then count what the last
 * flush of spans and log records delivered.
 */
export function signalPhases(
  timeoutMs: number,
  records: readonly SignalTask[],
  metrics: readonly SignalTask[],
): SignalPhase[] {
  return [
    { tasks: records, withinMs: timeoutMs - metricsShareMs(timeoutMs) },
    { tasks: metrics, withinMs: timeoutMs },
  ];
}

/**
 * Runs `action` for every signal, phase after phase (the signals of a phase
 * at once), each phase bounded by its time from the start, and waits for all
 * of them: one failing signal never stops another from flushing. Rejects with
 * an `AggregateError` naming every signal that failed.
 */
export async function settleSignals(
  action: 'shutdown' | 'flush',
  phases: readonly SignalPhase[],
): Promise<void> {
  const start = performance.now();
  const errors: SignalError[] = [];
  for (const { tasks, withinMs } of phases) {
    const leftMs = Math.max(0, start + withinMs - performance.now());
    const results = await Promise.allSettled(
      tasks.map((task) => withTimeout(task, action, leftMs)),
    );
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        errors.push(new SignalError(tasks[i]!.signal, action, result.reason));
      }
    });
  }
  if (errors.length > 0) {
    const details = errors.map((error) => error.message).join('; ');
    throw new AggregateError(errors, `otelkit: ${action} failed: ${details}`);
  }
}

/** The lines to print for a failed flush or shutdown: one per signal that failed. */
export function failureLines(error: unknown): string[] {
  if (error instanceof AggregateError && error.errors.every((e) => e instanceof SignalError)) {
    return (error.errors as SignalError[]).map((e) =>
      e.message.startsWith('otelkit:') ? e.message : `otelkit: ${e.message}`,
    );
  }
  return [`otelkit: ${messageOf(error)}`];
}

async function withTimeout(task: SignalTask, action: string, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const where = task.destination === undefined ? '' : ` sending to ${task.destination}`;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`${task.signal} ${action} timed out after ${Math.round(ms)} ms${where}`)),
      ms,
    );
    timer.unref();
  });
  try {
    await Promise.race([Promise.resolve().then(task.run), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
