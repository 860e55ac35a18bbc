import type { Attributes } from '@opentelemetry/api';
import { type Context, context } from '@opentelemetry/api';
import { getInheritedValue, setInheritedAttributes, setInheritedValue } from './span-attributes.ts';

/** Values a span attribute can hold, and so a context key with `spanAttribute` can hold. */
export type SpanAttributeScalar =
  | string
  | number
  | boolean
  | readonly string[]
  | readonly number[]
  | readonly boolean[];

/** Options of `createContextKey()`. `spanAttribute` is only allowed when `T` fits in a span attribute. */
export interface ContextKeyOptions<T> {
  /**
   * Every span started while the key holds a value gets this attribute.
   * @example 'tenant.id'
   */
  spanAttribute?: [T] extends [SpanAttributeScalar] ? string : never;
}

/** A typed value carried by the OpenTelemetry context (Go's `context.WithValue` with a private key type). */
export interface ContextKey<T> {
  /** The name given at creation, for debugging. */
  readonly name: string;
  /** The span attribute this key feeds, if any. */
  readonly spanAttribute: string | undefined;
  /** The value in `ctx` (the active context by default), or `undefined`. */
  get(ctx?: Context): T | undefined;
  /** A new context, derived from `ctx`, where the key holds `value`. */
  set(ctx: Context, value: T): Context;
  /** Runs `fn` in a context where the key holds `value`, and returns what `fn` returns. */
  with<R>(value: T, fn: () => R): R;
}

/**
 * Creates a typed context key. With `spanAttribute`, every span started while
 * the key holds a value carries that attribute (through the span processor that
 * `setup()` and `createTestTelemetry()` install).
 *
 * @example
 * const orderId = createContextKey<string>('order id', { spanAttribute: 'order.id' });
 * await orderId.with('o-42', () => checkout()); // every span inside has order.id = o-42
 */
export function createContextKey<T>(
  name: string,
  options: ContextKeyOptions<T> = {},
): ContextKey<T> {
  const id = Symbol(name);
  const attribute = options.spanAttribute as string | undefined;
  if (attribute === undefined) {
    return {
      name,
      spanAttribute: undefined,
      get: (ctx = context.active()) => ctx.getValue(id) as T | undefined,
      set: (ctx, value) => ctx.setValue(id, value),
      with: (value, fn) => context.with(context.active().setValue(id, value), fn),
    };
  }
  return {
    name,
    spanAttribute: attribute,
    get: (ctx = context.active()) => getInheritedValue(ctx, id) as T | undefined,
    set: (ctx, value) => setInheritedValue(ctx, id, attribute, value),
    with: (value, fn) =>
      context.with(setInheritedValue(context.active(), id, attribute, value), fn),
  };
}

/** The id of the request being served; spans get `request.id`. Set by the HTTP middleware. */
export const requestId: ContextKey<string> = createContextKey<string>('request id', {
  spanAttribute: 'request.id',
});

/** The authenticated user; spans get `user.id`. */
export const userId: ContextKey<string> = createContextKey<string>('user id', {
  spanAttribute: 'user.id',
});

/** The tenant of a multi-tenant service; spans get `tenant.id`. */
export const tenantId: ContextKey<string> = createContextKey<string>('tenant id', {
  spanAttribute: 'tenant.id',
});

/**
 * Runs `fn` in a context where every span started inside gets `attributes`
 * (local to this process: unlike baggage, nothing crosses the wire).
 *
 * @example
 * await withAttributes({ 'job.name': 'nightly-report' }, () => runReport());
 */
export function withAttributes<R>(attributes: Attributes, fn: () => R): R {
  return context.with(setInheritedAttributes(context.active(), attributes), fn);
}
