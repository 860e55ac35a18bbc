/**
 * OTLP/JSON spells trace and span ids as hex, where proto3 JSON would use base64; some producers
 * (dd-trace's JSON logs) write them as a serialized Node.js Buffer, `{"type":"Buffer","data":[…]}`.
 * Before the generic `fromObject` conversion, the ids of an item are turned into bytes.
 */

const hexPattern = /^[0-9a-fA-F]*$/;

// A malformed id becomes one byte: the length check then refuses that item alone, naming it.
function idBytes(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length % 2 === 0 && hexPattern.test(value)
      ? Buffer.from(value, 'hex')
      : Buffer.alloc(1);
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { type, data } = value as { type?: unknown; data?: unknown };
    if (type !== 'Buffer' || !Array.isArray(data)) return Buffer.alloc(1);
    const isByte = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) < 256;
    return data.every(isByte) ? Buffer.from(data as number[]) : Buffer.alloc(1);
  }
  return value;
}

function convertIds(item: unknown, fields: readonly string[]): void {
  if (typeof item !== 'object' || item === null) return;
  const record = item as Record<string, unknown>;
  for (const field of fields) {
    if (field in record) record[field] = idBytes(record[field]);
  }
}

function each(value: unknown, visit: (item: Record<string, unknown>) => void): void {
  if (!Array.isArray(value)) return;
  for (const item of value) if (typeof item === 'object' && item !== null) visit(item);
}

const spanIdFields = ['traceId', 'spanId', 'parentSpanId'];
const linkIdFields = ['traceId', 'spanId'];

/**
 * Converts, in place, the ids of one parsed OTLP/JSON item of `signal`: a span and its links, a
 * log record, or a data point's exemplars.
 */
export function convertItemIds(signal: 'traces' | 'logs' | 'metrics', item: unknown): void {
  if (typeof item !== 'object' || item === null) return;
  const record = item as Record<string, unknown>;
  if (signal === 'traces') {
    convertIds(record, spanIdFields);
    each(record.links, (link) => convertIds(link, linkIdFields));
  } else if (signal === 'logs') {
    convertIds(record, linkIdFields);
  } else {
    each(record.exemplars, (exemplar) => convertIds(exemplar, linkIdFields));
  }
}
