import { INVALID_TRACEID, type Span } from '@opentelemetry/api';

const FLAGS = ['00', '01'] as const;
const cache = new WeakMap<Span, string>();

/**
 * The `"trace_id":…,"span_id":…,"trace_flags":…` members a line written in
 * `span` carries, already serialized (with a leading comma), or `''` for a span
 * without a valid context. Built once per span, not once per line: the ids are
 * hex, so they need no escaping.
 */
export function traceFieldsJson(span: Span): string {
  let json = cache.get(span);
  if (json === undefined) {
    const { traceId, spanId, traceFlags } = span.spanContext();
    // Joined rather than concatenated: one flat string, which the record's
    // reader compares with each line at no cost of flattening it again.
    json =
      traceId === INVALID_TRACEID
        ? ''
        : [
            ',"trace_id":"',
            traceId,
            '","span_id":"',
            spanId,
            '","trace_flags":"',
            FLAGS[traceFlags & 1],
            '"',
          ].join('');
    cache.set(span, json);
  }
  return json;
}
