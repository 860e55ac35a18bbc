/** A query parameter the API cannot use, with the reason for the 400 answer. */
export class BadQueryError extends Error {
  override readonly name = 'BadQueryError';
}

/** The value of `name`, or undefined when absent or empty. */
export function text(params: URLSearchParams, name: string): string | undefined {
  return params.get(name) || undefined;
}

/** A non-negative number. */
export function nonNegative(params: URLSearchParams, name: string): number | undefined {
  const raw = text(params, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new BadQueryError(`${name} must be a non-negative number, got "${raw}"`);
  }
  return value;
}

/** A whole number from `min` to `max`, `fallback` when absent. */
export function integer(
  params: URLSearchParams,
  name: string,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number {
  const value = nonNegative(params, name);
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadQueryError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A count of items: a non-negative number rounded down into `[min, max]`, `fallback` when absent. */
export function clampedCount(
  params: URLSearchParams,
  name: string,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number {
  const value = nonNegative(params, name);
  return value === undefined ? fallback : Math.min(max, Math.max(min, Math.floor(value)));
}

/** A time: milliseconds since the epoch, or an ISO date. */
export function time(params: URLSearchParams, name: string): number | undefined {
  const raw = text(params, name);
  if (raw === undefined) return undefined;
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value)) {
    throw new BadQueryError(`${name} must be milliseconds since the epoch or an ISO date`);
  }
  return value;
}

/** `since` and `until`, with `since` not after `until`. */
export function timeRange(params: URLSearchParams): { sinceMs?: number; untilMs?: number } {
  const sinceMs = time(params, 'since');
  const untilMs = time(params, 'until');
  if (sinceMs !== undefined && untilMs !== undefined && sinceMs > untilMs) {
    throw new BadQueryError('since must not be after until');
  }
  return { sinceMs, untilMs };
}

/** A chart step in milliseconds, at least one second. */
export function stepMs(params: URLSearchParams): number | undefined {
  const value = nonNegative(params, 'stepMs');
  if (value !== undefined && value < 1000) {
    throw new BadQueryError('stepMs must be at least 1000');
  }
  return value;
}

/** A trace id: 32 hex digits, lowercased. */
export function traceId(params: URLSearchParams, name: string): string | undefined {
  const raw = text(params, name);
  if (raw === undefined) return undefined;
  if (!/^[0-9a-fA-F]{32}$/.test(raw)) throw new BadQueryError(`${name} must be 32 hex digits`);
  return raw.toLowerCase();
}

const severities: Record<string, number> = {
  TRACE: 1,
  DEBUG: 5,
  INFO: 9,
  WARN: 13,
  WARNING: 13,
  ERROR: 17,
  FATAL: 21,
};

/** A lowest severity: a name (`WARN`) or an OTLP severity number (`13`). */
export function severity(params: URLSearchParams): number | undefined {
  const raw = text(params, 'severity');
  if (raw === undefined) return undefined;
  const named = severities[raw.toUpperCase()];
  if (named !== undefined) return named;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 24) {
    throw new BadQueryError(
      `severity must be TRACE, DEBUG, INFO, WARN, ERROR, FATAL or a number from 1 to 24, got "${raw}"`,
    );
  }
  return value;
}
