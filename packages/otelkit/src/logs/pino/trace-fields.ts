import { context, INVALID_TRACEID, trace } from '@opentelemetry/api';

const FLAGS = ['00', '01'] as const;

/** The ids that correlate a log line with its trace, as pino adds them to the line. */
export interface TraceFields {
  trace_id: string;
  span_id: string;
  trace_flags: string;
}

/**
 * The `trace_id`, `span_id` and `trace_flags` of the active span, or
 * `undefined` outside a span. A fresh object each time: pino's default mixin
 * merge writes into it.
 */
export function traceFields(): TraceFields | undefined {
  const span = trace.getSpan(context.active());
  if (span === undefined) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (traceId === INVALID_TRACEID) return undefined;
  return { trace_id: traceId, span_id: spanId, trace_flags: FLAGS[traceFlags & 1]! };
}
