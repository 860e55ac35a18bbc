import { type Context, context, createContextKey } from '@opentelemetry/api';

/** The context slot of the cancellation signal: Node's answer to Go's `ctx.Done()`. */
const SIGNAL = createContextKey('otelkit.signal');

/** The signal of a context that nothing can cancel. Its controller is unreachable, so it never aborts. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/**
 * The cancellation signal of the current context (or of `ctx`): it aborts when
 * a surrounding `withTimeout`, `withDeadline`, `withSla`, `TaskGroup` or
 * `withSignal` cancels the work. A never-aborting signal when there is none.
 *
 * @example
 * const response = await fetch(url, { signal: currentSignal() });
 */
export function currentSignal(ctx?: Context): AbortSignal {
  const signal = (ctx ?? context.active()).getValue(SIGNAL);
  return signal === undefined ? NEVER_ABORTED : (signal as AbortSignal);
}

/** `ctx` with `signal` as its cancellation signal (internal: callers link it to the parent first). */
export function setSignal(ctx: Context, signal: AbortSignal): Context {
  return ctx.setValue(SIGNAL, signal);
}

/** `ctx` without a cancellation signal, or `ctx` itself when it has none. */
export function deleteSignal(ctx: Context): Context {
  return ctx.getValue(SIGNAL) === undefined ? ctx : ctx.deleteValue(SIGNAL);
}
