import type { Attributes, Context, MetricOptions } from '@opentelemetry/api';
import { LazyInstrument } from './lazy-instrument.ts';

/** The default instrumentation scope (meter name) of otelkit's instruments. */
const DEFAULT_SCOPE = 'otelkit';

/** Options of `counter()`, `upDownCounter()` and `gauge()`. */
export interface InstrumentOptions extends Omit<MetricOptions, 'advice'> {
  /** The name of the meter (instrumentation scope) the instrument belongs to. @default 'otelkit' */
  scope?: string;
}

/** Options of `histogram()`. */
export interface HistogramOptions extends InstrumentOptions {
  /** Aggregation advice. @example { explicitBucketBoundaries: [0.005, 0.01, 0.05, 0.1, 0.5, 1] } */
  advice?: { explicitBucketBoundaries?: number[] };
}

/**
 * The attribute arguments of a typed instrument: optional when every key of
 * `A` is optional, required otherwise.
 */
export type AttributesArgument<A extends Attributes> =
  Partial<A> extends A ? [attributes?: A, context?: Context] : [attributes: A, context?: Context];

/** A counter whose attributes must have the shape `A`. */
export interface TypedCounter<A extends Attributes = Attributes> {
  /** Adds a non-negative `value`. */
  add(value: number, ...rest: AttributesArgument<A>): void;
}

/** An up-down counter whose attributes must have the shape `A`. */
export interface TypedUpDownCounter<A extends Attributes = Attributes> {
  /** Adds `value`, which may be negative. */
  add(value: number, ...rest: AttributesArgument<A>): void;
}

/** A histogram whose attributes must have the shape `A`. */
export interface TypedHistogram<A extends Attributes = Attributes> {
  /** Records one measurement. */
  record(value: number, ...rest: AttributesArgument<A>): void;
}

/** A synchronous gauge whose attributes must have the shape `A`. */
export interface TypedGauge<A extends Attributes = Attributes> {
  /** Records the current value. */
  record(value: number, ...rest: AttributesArgument<A>): void;
}

/**
 * A counter that only accepts attributes of type `A`. Safe to create at
 * import time: it records into whatever meter provider is registered when
 * `add` is called, including one registered later by `setup()`.
 *
 * @example
 * const ordersPlaced = counter<{ 'order.channel': 'web' | 'api' }>('orders.placed', {
 *   description: 'Orders accepted',
 * });
 * ordersPlaced.add(1, { 'order.channel': 'web' });
 */
export function counter<A extends Attributes = Attributes>(
  name: string,
  options: InstrumentOptions = {},
): TypedCounter<A> {
  return create('counter', name, options);
}

/** An up-down counter that only accepts attributes of type `A`; bound lazily like `counter`. */
export function upDownCounter<A extends Attributes = Attributes>(
  name: string,
  options: InstrumentOptions = {},
): TypedUpDownCounter<A> {
  return create('upDownCounter', name, options);
}

/**
 * A histogram that only accepts attributes of type `A`; bound lazily like `counter`.
 *
 * @example
 * const latency = histogram<{ 'http.route': string }>('app.request.duration', {
 *   unit: 's',
 *   advice: { explicitBucketBoundaries: [0.01, 0.05, 0.1, 0.5, 1, 5] },
 * });
 * latency.record(0.042, { 'http.route': '/users/:id' });
 */
export function histogram<A extends Attributes = Attributes>(
  name: string,
  options: HistogramOptions = {},
): TypedHistogram<A> {
  return create('histogram', name, options);
}

/** A synchronous gauge that only accepts attributes of type `A`; bound lazily like `counter`. */
export function gauge<A extends Attributes = Attributes>(
  name: string,
  options: InstrumentOptions = {},
): TypedGauge<A> {
  return create('gauge', name, options);
}

function create(
  kind: 'counter' | 'upDownCounter' | 'histogram' | 'gauge',
  name: string,
  options: HistogramOptions,
): LazyInstrument {
  const { scope = DEFAULT_SCOPE, ...metricOptions } = options;
  return new LazyInstrument(kind, name, scope, metricOptions);
}
