import type { Attributes, Link, SpanKind, Tracer } from '@opentelemetry/api';

/** Options of `withSpan()`, and the base of `traced()` and `@traceMethod()` options. */
export interface WithSpanOptions {
  /** The span kind. @default SpanKind.INTERNAL */
  kind?: SpanKind;
  /** Attributes set when the span starts, so samplers see them. */
  attributes?: Attributes;
  /** Links to other spans, e.g. the messages a consumer handles. */
  links?: Link[];
  /** Start a new trace instead of a child of the active span; other context values are kept. @default false */
  root?: boolean;
  /** The tracer to start the span with. @default the global provider's `otelkit` tracer, looked up at call time */
  tracer?: Tracer;
}

/** Options of `traced()`. */
export type TracedOptions = WithSpanOptions;

/** Options of `@traceMethod()`. */
export interface TraceMethodOptions extends WithSpanOptions {
  /** The span name. @default 'ClassName.methodName' */
  name?: string;
}

/**
 * The return types `@traceMethod()` accepts: anything but a thenable that is
 * not a native `Promise`, which the decorated method would turn into one
 * behind its declared type.
 */
export type TraceableReturn<R> =
  R extends PromiseLike<unknown> ? (R extends Promise<unknown> ? R : never) : R;
