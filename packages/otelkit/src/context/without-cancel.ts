import { context } from '@opentelemetry/api';
import { deleteSignal } from './current-signal.ts';

/**
 * Runs `fn` in the current context minus its cancellation: the trace context
 * and context values stay, the parent's signal no longer reaches `fn`
 * (Go's `context.WithoutCancel`). Returns what `fn` returns.
 *
 * @example
 * await withTimeout(1_000, () => withoutCancel(() => auditLog.write(entry)));
 */
export function withoutCancel<R>(fn: () => R): R {
  const active = context.active();
  const detached = deleteSignal(active);
  return detached === active ? fn() : context.with(detached, fn);
}
