import type { AnyValue, KeyValue } from './api-client.ts';

const kinds = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const statuses = ['unset', 'ok', 'error'];

/** The span kind's name. */
export function kindName(kind: number): string {
  return kinds[kind] ?? `kind ${kind}`;
}

/** The status code's name. */
export function statusName(code: number): string {
  return statuses[code] ?? `status ${code}`;
}

/** A duration for people: `840 µs`, `12.3 ms`, `4.56 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Milliseconds since the epoch of a nanosecond timestamp string. */
export function nsToMs(ns: string): number {
  return Number(BigInt(ns) / 1000n) / 1000;
}

/** A timestamp for people, local time with milliseconds. */
export function formatTime(ns: string): string {
  const ms = nsToMs(ns);
  if (ms === 0) return '—';
  const date = new Date(ms);
  const time = date.toLocaleTimeString(undefined, { hour12: false });
  return `${date.toLocaleDateString()} ${time}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** An OTLP/JSON value as text; arrays and maps in a compact JSON-like form. */
export function formatValue(value: AnyValue | undefined): string {
  if (!value) return '';
  if ('stringValue' in value) return String(value.stringValue);
  if ('intValue' in value) return String(value.intValue);
  if ('doubleValue' in value) return String(value.doubleValue);
  if ('boolValue' in value) return String(value.boolValue);
  if ('bytesValue' in value) return `base64:${String(value.bytesValue)}`;
  if ('arrayValue' in value) {
    const values = ((value.arrayValue as { values?: AnyValue[] }).values ?? []).map(formatValue);
    return `[${values.join(', ')}]`;
  }
  if ('kvlistValue' in value) {
    const values = (value.kvlistValue as { values?: KeyValue[] }).values ?? [];
    return `{${values.map((kv) => `${kv.key}: ${formatValue(kv.value)}`).join(', ')}}`;
  }
  return '';
}

/** The value of attribute `key`, if present. */
export function attribute(attributes: KeyValue[], key: string): AnyValue | undefined {
  return attributes.find((kv) => kv.key === key)?.value;
}

/** The string items of an array attribute (or the string itself). */
export function stringList(value: AnyValue | undefined): string[] {
  if (!value) return [];
  if ('arrayValue' in value) {
    return ((value.arrayValue as { values?: AnyValue[] }).values ?? []).map(formatValue);
  }
  return [formatValue(value)];
}
