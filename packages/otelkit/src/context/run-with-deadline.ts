import { context } from '@opentelemetry/api';
import { currentSignal, setSignal } from './current-signal.ts';
import { linkController } from './linked-controller.ts';

/** The longest delay `setTimeout` takes; longer ones are chained. */
const MAX_TIMER_DELAY = 2_147_483_647;

/**
 * Runs `fn(signal)` in a context whose signal aborts when the current one does
 * or after `ms`, with the reason `makeReason()` returns then. The promise
 * settles with `fn`'s outcome, or rejects with the abort reason as soon as the
 * signal aborts, even if `fn` ignores it. The timer is unref'd and cleared,
 * and the parent listener removed, as soon as either happens. When the
 * context is already cancelled or `ms <= 0`, `fn` is not called.
 */
export function runWithDeadline<T>(
  ms: number,
  fn: (signal: AbortSignal) => T | PromiseLike<T>,
  makeReason: () => unknown,
): Promise<T> {
  if (Number.isNaN(ms)) return Promise.reject(new RangeError('The timeout must be a number'));
  const parent = currentSignal();
  if (parent.aborted) return Promise.reject(parent.reason);
  if (ms <= 0) return Promise.reject(makeReason());

  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const link = linkController(parent, (reason) => {
      clearTimeout(timer);
      reject(reason);
    });
    const settle = () => {
      clearTimeout(timer);
      link.unlink();
    };
    const arm = (remaining: number) => {
      timer =
        remaining > MAX_TIMER_DELAY
          ? setTimeout(arm, MAX_TIMER_DELAY, remaining - MAX_TIMER_DELAY)
          : setTimeout(() => link.abort(makeReason()), remaining);
      timer.unref();
    };
    if (ms !== Number.POSITIVE_INFINITY) arm(ms);

    const { signal } = link;
    let result: T | PromiseLike<T>;
    try {
      result = context.with(setSignal(context.active(), signal), fn, undefined, signal);
    } catch (error) {
      settle();
      reject(error);
      return;
    }
    Promise.resolve(result).then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}
