import type { Attributes, Span } from '@opentelemetry/api';
import { runInSpan } from './run-in-span.ts';
import type { TracedOptions } from './span-options.ts';

/** An operation that names its own span: the TypeScript form of Go's `TracedOperation[T]` constraint. */
export interface Traceable {
  /** The span name, e.g. `orders.place`. */
  readonly spanName: string;
  /** Attributes set when the span starts. */
  readonly spanAttributes?: Attributes;
}

/**
 * Runs `fn` in a span named and described by `operation`: like `withSpan`,
 * with `operation.spanAttributes` set at start (under `options.attributes`).
 *
 * @example
 * const placeOrder = (id: string): Traceable => ({
 *   spanName: 'orders.place',
 *   spanAttributes: { 'order.id': id },
 * });
 * await traced(placeOrder(id), () => orders.place(id));
 */
export function traced<T>(
  operation: Traceable,
  fn: (span: Span) => PromiseLike<T>,
  options?: TracedOptions,
): Promise<T>;
export function traced<T>(operation: Traceable, fn: (span: Span) => T, options?: TracedOptions): T;
export function traced(
  operation: Traceable,
  fn: (span: Span) => unknown,
  options?: TracedOptions,
): unknown {
  const own = operation.spanAttributes;
  const extra = options?.attributes;
  const attributes = own === undefined ? extra : extra === undefined ? own : { ...own, ...extra };
  return runInSpan(operation.spanName, options, attributes, fn, undefined, undefined);
}
