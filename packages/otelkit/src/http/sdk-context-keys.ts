import { type Context, context, type Span } from '@opentelemetry/api';
import { getRPCMetadata, RPCType, suppressTracing } from '@opentelemetry/core';

// The context slots that `@opentelemetry/core` defines and the official
// instrumentations read, through `@opentelemetry/core`'s own accessors.

/** What `@opentelemetry/instrumentation-http` keeps for the request it traces. */
export interface HttpRpcMetadata {
  type: RPCType.HTTP;
  span: Span;
  /** The route template; the instrumentation names its span and metric with it. */
  route?: string;
}

/** The server span that `@opentelemetry/instrumentation-http` opened for this request, if any. */
export function instrumentedRequest(ctx: Context): HttpRpcMetadata | undefined {
  const metadata = getRPCMetadata(ctx);
  return metadata?.type === RPCType.HTTP && metadata.span !== undefined ? metadata : undefined;
}

/** Runs `fn` with tracing suppressed: what an ignored request does. */
export function runUntraced<R>(fn: () => R): R {
  return context.with(suppressTracing(context.active()), fn);
}
