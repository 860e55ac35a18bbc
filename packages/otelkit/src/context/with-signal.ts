import { context } from '@opentelemetry/api';
import { currentSignal, NEVER_ABORTED, setSignal } from './current-signal.ts';
import { linkController } from './linked-controller.ts';

/**
 * Runs `fn` in a context whose signal aborts when `signal` or the current
 * context's signal does, so an outside signal (a request's, a shutdown's)
 * reaches every callee through `currentSignal()`. Returns what `fn` returns;
 * the link to the outer signal is removed once `fn` settles.
 *
 * @example
 * server.on('request', (req, res) => withSignal(abortedWhenClosed(req), () => handle(req, res)));
 */
export function withSignal<R>(signal: AbortSignal, fn: () => R): R {
  const parent = currentSignal();
  if (parent === NEVER_ABORTED || parent === signal || parent.aborted) {
    return context.with(setSignal(context.active(), parent.aborted ? parent : signal), fn);
  }
  const link = linkController(parent);
  const onAbort = () => link.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const unlink = () => {
    link.unlink();
    signal.removeEventListener('abort', onAbort);
  };
  let result: R;
  try {
    result = context.with(setSignal(context.active(), link.signal), fn);
  } catch (error) {
    unlink();
    throw error;
  }
  if (!isPromiseLike(result)) {
    unlink();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      unlink();
      return value;
    },
    (error: unknown) => {
      unlink();
      throw error;
    },
  ) as R;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
