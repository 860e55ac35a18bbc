import type { Signal } from './setup-options.ts';

/** One signal's failure inside the `AggregateError` of `shutdown()` or `forceFlush()`. */
export class SignalError extends Error {
  override readonly name = 'SignalError';
  /** The signal that failed. */
  readonly signal: Signal;

  constructor(signal: Signal, action: string, cause: unknown) {
    super(`${signal} ${action} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.signal = signal;
  }
}

/**
 * Runs `action` for every signal at once, each bounded by `timeoutMs`, and
 * waits for all of them: one failing signal never stops another from
 * flushing. Rejects with an `AggregateError` naming every signal that failed.
 */
export async function settleSignals(
  action: 'shutdown' | 'flush',
  tasks: ReadonlyArray<readonly [Signal, () => Promise<unknown>]>,
  timeoutMs: number,
): Promise<void> {
  const results = await Promise.allSettled(
    tasks.map(([signal, run]) => withTimeout(run, timeoutMs, `${signal} ${action}`)),
  );
  const errors = results.flatMap((result, i) =>
    result.status === 'rejected' ? [new SignalError(tasks[i]![0], action, result.reason)] : [],
  );
  if (errors.length > 0) {
    const details = errors.map((error) => error.message).join('; ');
    throw new AggregateError(errors, `otelkit: ${action} failed: ${details}`);
  }
}

async function withTimeout(run: () => Promise<unknown>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    await Promise.race([Promise.resolve().then(run), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
