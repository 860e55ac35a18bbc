import { type Context, context, createContextKey, type Span } from '@opentelemetry/api';

// Two context slots defined by `@opentelemetry/core` and read by the official
// instrumentations. `createContextKey` uses `Symbol.for`, so the same
// description yields the same key without depending on the SDK packages.

/** Set by `@opentelemetry/instrumentation-http` around each request it traces. */
const RPC_METADATA = createContextKey('OpenTelemetry SDK Context Key RPC_METADATA');
/** When true, tracers create no recording spans in this context. */
const SUPPRESS_TRACING = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** What `@opentelemetry/instrumentation-http` keeps for the request it traces. */
export interface HttpRpcMetadata {
  type: string;
  span: Span;
  /** The route template; the instrumentation names its span and metric with it. */
  route?: string;
}

/** The server span that `@opentelemetry/instrumentation-http` opened for this request, if any. */
export function instrumentedRequest(ctx: Context): HttpRpcMetadata | undefined {
  const metadata = ctx.getValue(RPC_METADATA) as Partial<HttpRpcMetadata> | undefined;
  return metadata?.type === 'http' && metadata.span !== undefined
    ? (metadata as HttpRpcMetadata)
    : undefined;
}

/** A context in which no span is recorded. */
export function suppressTracing(ctx: Context): Context {
  return ctx.setValue(SUPPRESS_TRACING, true);
}

/** Runs `fn` with tracing suppressed: what an ignored request does. */
export function runUntraced<R>(fn: () => R): R {
  return context.with(suppressTracing(context.active()), fn);
}
