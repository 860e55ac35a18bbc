import type { Span } from '@opentelemetry/api';
import { runInSpan } from './run-in-span.ts';
import type { WithSpanOptions } from './span-options.ts';

/**
 * Runs `fn` in a new active span named `name`, a child of the current
 * context, and ends the span when `fn` returns, throws, or (for a promise)
 * settles. Returns what `fn` returns (a sync `fn` stays sync), except that a
 * thenable comes back as a native promise of its settlement. A throw
 * or rejection is recorded with `recordError`, sets status `ERROR`, and is
 * passed on unchanged.
 *
 * @example
 * const user = await withSpan('load user', async (span) => {
 *   span.setAttribute('user.id', id);
 *   return db.users.find(id);
 * });
 */
export function withSpan<T>(
  name: string,
  fn: (span: Span) => PromiseLike<T>,
  options?: WithSpanOptions,
): Promise<T>;
export function withSpan<T>(name: string, fn: (span: Span) => T, options?: WithSpanOptions): T;
export function withSpan(
  name: string,
  fn: (span: Span) => unknown,
  options?: WithSpanOptions,
): unknown {
  return runInSpan(name, options, options?.attributes, fn, undefined, undefined);
}
