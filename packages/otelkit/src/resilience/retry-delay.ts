import { readProperty } from '../errors/describe-error.ts';

/** How a backoff delay is randomized, so that many clients do not retry in lockstep. */
export type Jitter = 'full' | 'equal' | 'none';

/**
 * The wait before retry number `retry` (1 for the first retry): exponential
 * growth capped at `maxDelayMs`, then jitter: `full` picks in `[0, d]`,
 * `equal` in `[d/2, d]`, `none` waits `d`.
 */
export function backoffDelay(
  retry: number,
  initialDelayMs: number,
  multiplier: number,
  maxDelayMs: number,
  jitter: Jitter,
  random: () => number = Math.random,
): number {
  const capped = Math.min(maxDelayMs, initialDelayMs * multiplier ** (retry - 1));
  if (jitter === 'none') return capped;
  if (jitter === 'equal') return capped / 2 + random() * (capped / 2);
  return random() * capped;
}

const MAX_CAUSE_DEPTH = 8;

/**
 * How long the failed call asked us to wait, in ms: a `retryAfterMs` number
 * on the error, or an HTTP `Retry-After` header (seconds or an HTTP date) on
 * its `response`, looked up along the `cause` chain. `undefined` when none.
 */
export function retryAfterHint(error: unknown, now: number = Date.now()): number | undefined {
  let current = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH; depth++) {
    if (typeof current !== 'object' || current === null) return undefined;
    const ms = readProperty(current, 'retryAfterMs');
    if (typeof ms === 'number' && ms >= 0) return ms;
    const response = readProperty(current, 'response');
    const header =
      typeof response === 'object' && response !== null ? retryAfterHeader(response) : undefined;
    if (header !== undefined) {
      const parsed = parseRetryAfter(header, now);
      if (parsed !== undefined) return parsed;
    }
    current = readProperty(current, 'cause');
  }
  return undefined;
}

/** Reads `Retry-After` from a fetch `Headers`, a Node headers object, or a plain record. */
function retryAfterHeader(response: object): string | undefined {
  const headers = readProperty(response, 'headers');
  if (typeof headers !== 'object' || headers === null) return undefined;
  try {
    const get = readProperty(headers, 'get');
    if (typeof get === 'function') {
      const value: unknown = get.call(headers, 'retry-after');
      return typeof value === 'string' ? value : undefined;
    }
    for (const [name, value] of Object.entries(headers)) {
      if (name.toLowerCase() !== 'retry-after') continue;
      const first: unknown = Array.isArray(value) ? value[0] : value;
      return typeof first === 'string' || typeof first === 'number' ? String(first) : undefined;
    }
  } catch {
    // A hostile headers object: no hint.
  }
  return undefined;
}

/** `Retry-After: 120` (seconds) or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`, in ms from `now`. */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
