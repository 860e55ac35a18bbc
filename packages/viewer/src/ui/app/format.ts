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

/**
 * A count with its noun, singular or plural as the count asks: `1 attribute`, `2 attributes`,
 * `1,204 spans`; `plural` when the noun does not just take an `s`.
 */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : pluralNoun}`;
}

const severityNames = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/**
 * The OpenTelemetry short name of a severity number: `INFO` for 9, `WARN2` for 14, `FATAL4`
 * for 24; empty outside 1–24.
 */
export function severityName(severity: number): string {
  if (!Number.isInteger(severity) || severity < 1 || severity > 24) return '';
  const level = severityNames[Math.floor((severity - 1) / 4)]!;
  const step = (severity - 1) % 4;
  return step === 0 ? level : `${level}${step + 1}`;
}

/** A duration for people: `840 µs`, `12.3 ms`, `4.56 s`; negative ones with their sign. */
export function formatDuration(ms: number): string {
  if (ms < 0) return `−${formatDuration(-ms)}`;
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

/** A number for people: three significant digits, thousands as `k`, millions as `M`. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trim(value / 1e9)}G`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs === 0) return '0';
  return trim(value);
}

function trim(value: number): string {
  return String(Number(value.toPrecision(3)));
}

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * A value in an OTLP unit for people: seconds and milliseconds as durations, bytes in binary
 * multiples, `{request}` as "requests", `1` and `%` as plain numbers.
 */
export function formatWithUnit(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 's':
      return formatDuration(value * 1000);
    case 'ms':
      return formatDuration(value);
    case 'us':
      return formatDuration(value / 1000);
    case 'ns':
      return formatDuration(value / 1e6);
    case 'By': {
      let scaled = value;
      let i = 0;
      while (Math.abs(scaled) >= 1024 && i < byteUnits.length - 1) {
        scaled /= 1024;
        i++;
      }
      return `${trim(scaled)} ${byteUnits[i]}`;
    }
    case '':
    case '1':
      return formatNumber(value);
    case '%':
      return `${formatNumber(value)}%`;
    default: {
      const annotation = /^\{(.+)\}$/.exec(unit);
      return `${formatNumber(value)} ${annotation ? `${annotation[1]}s` : unit}`;
    }
  }
}

/** A rate per second: `12.3/s`, or per minute when below one a second. */
export function formatRate(perSecond: number): string {
  if (perSecond > 0 && perSecond < 1) return `${formatNumber(perSecond * 60)}/min`;
  return `${formatNumber(perSecond)}/s`;
}

/** A share (0–1) as a percentage: `2.4%`. */
export function formatPercent(share: number): string {
  if (share === 0) return '0%';
  return `${Number((share * 100).toPrecision(share < 0.01 ? 2 : 3))}%`;
}

/** How long ago `ms` (since the epoch) was: `12 s ago`, `3 min ago`, `2 h ago`, `4 d ago`. */
export function formatAgo(ms: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** A time of day (with the date when not today) for chart axes. */
export function formatClock(ms: number, withDate = false): string {
  const date = new Date(ms);
  const time = date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  return withDate
    ? `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`
    : time;
}

/** A time in ms since the epoch for people, local time with milliseconds. */
export function formatTimeMs(ms: number): string {
  const date = new Date(ms);
  const time = date.toLocaleTimeString(undefined, { hour12: false });
  return `${date.toLocaleDateString()} ${time}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
