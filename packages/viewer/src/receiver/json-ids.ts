/**
 * OTLP/JSON spells trace and span ids as hex, where proto3 JSON would use base64. Before the
 * generic `fromObject` conversion, this walk turns the hex ids of each signal into bytes.
 */

const hexPattern = /^[0-9a-fA-F]*$/;

function hexToBytes(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  // A malformed id becomes one byte: the length check then refuses that item alone.
  return value.length % 2 === 0 && hexPattern.test(value)
    ? Buffer.from(value, 'hex')
    : Buffer.alloc(1);
}

function convertIds(item: unknown, fields: readonly string[]): void {
  if (typeof item !== 'object' || item === null) return;
  const record = item as Record<string, unknown>;
  for (const field of fields) {
    if (field in record) record[field] = hexToBytes(record[field]);
  }
}

function each(value: unknown, visit: (item: Record<string, unknown>) => void): void {
  if (!Array.isArray(value)) return;
  for (const item of value) if (typeof item === 'object' && item !== null) visit(item);
}

const spanIdFields = ['traceId', 'spanId', 'parentSpanId'];
const linkIdFields = ['traceId', 'spanId'];
const metricTypes = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];

/** Converts the hex ids of a parsed OTLP/JSON request of `signal`, in place. */
export function convertHexIds(signal: 'traces' | 'logs' | 'metrics', body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  const request = body as Record<string, unknown>;
  if (signal === 'traces') {
    each(request.resourceSpans, (r) =>
      each(r.scopeSpans, (s) =>
        each(s.spans, (span) => {
          convertIds(span, spanIdFields);
          each(span.links, (link) => convertIds(link, linkIdFields));
        }),
      ),
    );
  } else if (signal === 'logs') {
    each(request.resourceLogs, (r) =>
      each(r.scopeLogs, (s) => each(s.logRecords, (log) => convertIds(log, linkIdFields))),
    );
  } else {
    each(request.resourceMetrics, (r) =>
      each(r.scopeMetrics, (s) =>
        each(s.metrics, (metric) => {
          for (const type of metricTypes) {
            const data = metric[type] as Record<string, unknown> | undefined;
            each(data?.dataPoints, (point) =>
              each(point.exemplars, (exemplar) => convertIds(exemplar, linkIdFields)),
            );
          }
        }),
      ),
    );
  }
}
