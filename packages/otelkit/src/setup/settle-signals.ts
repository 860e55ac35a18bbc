import type { Signal } from './setup-options.ts';

/** One signal's failure inside the `AggregateError` of `shutdown()` or `forceFlush()`. */
export class SignalError extends Error {
  override readonly name = 'SignalError';
  /** The signal that failed. */
  readonly signal: Signal;

  constructor(signal: Signal, action: string, cause: unknown) {
    super(`${signal} ${action} failed: ${messageOf(cause)}`, { cause });
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

/**
 * Runs `action` for every signal, phase after phase (the signals of a phase
 * at once), each signal bounded by `timeoutMs`, and waits for all of them:
 * one failing signal never stops another from flushing. Rejects with an
 * `AggregateError` naming every signal that failed.
 */
export async function settleSignals(
  action: 'shutdown' | 'flush',
  phases: readonly (readonly SignalTask[])[],
  timeoutMs: number,
): Promise<void> {
  const errors: SignalError[] = [];
  for (const tasks of phases) {
    const results = await Promise.allSettled(
      tasks.map((task) => withTimeout(task, action, timeoutMs)),
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

async function withTimeout(task: SignalTask, action: string, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const where = task.destination === undefined ? '' : ` sending to ${task.destination}`;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${task.signal} ${action} timed out after ${ms} ms${where}`)),
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
