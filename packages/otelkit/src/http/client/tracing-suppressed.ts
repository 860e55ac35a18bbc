import { type Context, createContextKey } from '@opentelemetry/api';

// The slot `suppressTracing()` of `@opentelemetry/core` sets: the official
// exporters and otelkit's own sender send inside it. `createContextKey` uses
// `Symbol.for`, so the key is the same without loading that SDK package.
const SUPPRESS_TRACING = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** Whether `ctx` suppresses tracing, as `isTracingSuppressed` of `@opentelemetry/core` says. */
export function isTracingSuppressed(ctx: Context): boolean {
  return ctx.getValue(SUPPRESS_TRACING) === true;
}
