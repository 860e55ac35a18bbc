import { runWithDeadline } from './run-with-deadline.ts';

/** Options of `withTimeout()` and `withDeadline()`. */
export interface WithTimeoutOptions {
  /**
   * The signal's `reason`, and the rejection, when time runs out (Go's
   * `WithDeadlineCause`). @default a `TimeoutError` `DOMException`
   */
  cause?: unknown;
}

/**
 * Runs `fn(signal)` in a context whose signal aborts when the current one does
 * or after `ms` milliseconds. The promise rejects with the signal's reason at
 * that moment, even if `fn` ignores the signal; the timer is cleared (and never
 * keeps the process alive) once `fn` settles.
 *
 * @example
 * const user = await withTimeout(2_000, (signal) => fetchUser(id, { signal }), {
 *   cause: new Error('user lookup exceeded 2 s'),
 * });
 */
export function withTimeout<T>(
  ms: number,
  fn: (signal: AbortSignal) => T | PromiseLike<T>,
  options?: WithTimeoutOptions,
): Promise<T> {
  return runWithDeadline(ms, fn, () => options?.cause ?? timeoutError(`after ${ms} ms`));
}

/**
 * Like `withTimeout()`, with an absolute deadline: a `Date` or epoch milliseconds.
 * A deadline in the past rejects at once without calling `fn`.
 *
 * @example
 * await withDeadline(job.mustFinishBy, (signal) => runJob(job, signal));
 */
export function withDeadline<T>(
  at: Date | number,
  fn: (signal: AbortSignal) => T | PromiseLike<T>,
  options?: WithTimeoutOptions,
): Promise<T> {
  const deadline = typeof at === 'number' ? at : at.getTime();
  return runWithDeadline(
    deadline - Date.now(),
    fn,
    () => options?.cause ?? timeoutError(`at its deadline ${new Date(deadline).toISOString()}`),
  );
}

function timeoutError(when: string): DOMException {
  return new DOMException(`The operation timed out ${when}`, 'TimeoutError');
}
