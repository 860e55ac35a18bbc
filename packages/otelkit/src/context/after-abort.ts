import { context } from '@opentelemetry/api';
import { reportFailure } from './report-failure.ts';

/**
 * Runs `fn` once when `signal` aborts, or at once when it already has, in the
 * context of this call (Go's `context.AfterFunc`). A failure of `fn` is
 * recorded and logged, never thrown into the code that aborted. Returns
 * `stop()`: `true` when it prevented the run, `false` when `fn` already ran
 * or `stop()` was already called.
 *
 * @example
 * const stop = afterAbort(currentSignal(), () => upload.cancel());
 * try { await upload.done; } finally { stop(); }
 */
export function afterAbort(signal: AbortSignal, fn: () => void | PromiseLike<void>): () => boolean {
  const ctx = context.active();
  let pending = true;
  const run = () => {
    if (!pending) return;
    pending = false;
    signal.removeEventListener('abort', run);
    context.with(ctx, () => {
      try {
        const result = fn();
        if (result !== undefined) {
          Promise.resolve(result).then(undefined, (error: unknown) =>
            reportFailure('afterAbort callback failed', error),
          );
        }
      } catch (error) {
        reportFailure('afterAbort callback failed', error);
      }
    });
  };
  if (signal.aborted) run();
  else signal.addEventListener('abort', run, { once: true });
  return () => {
    if (!pending) return false;
    pending = false;
    signal.removeEventListener('abort', run);
    return true;
  };
}
