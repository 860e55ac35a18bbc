import type { IncomingHttpHeaders } from 'node:http';
import { parseRetryAfter } from '../resilience/retry-delay.ts';
import { readPartialSuccess, readStatusMessage } from './partial-success.ts';

/** The backend took the request (2xx); `rejected` records were refused by a partial success. */
export interface Delivered {
  readonly delivered: true;
  readonly status: number;
  readonly rejected: number;
  readonly rejectedMessage: string;
}

/** The attempt failed. */
export interface Failed {
  readonly delivered: false;
  /** 429, 502, 503, 504, a network error or a timeout: worth another attempt. */
  readonly retryable: boolean;
  /** The `error.type` of the self-metrics: the status code, `timeout`, or the network error's code. */
  readonly errorType: string;
  /** For people: `connection refused`, `HTTP 404`, `timeout after 10000 ms`. */
  readonly reason: string;
  readonly status?: number;
  /** What `Retry-After` asked for, in ms. */
  readonly retryAfterMs?: number;
}

/** How one HTTP attempt ended. */
export type AttemptResult = Delivered | Failed;

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** An attempt's result from the HTTP response. */
export function fromResponse(
  status: number,
  headers: IncomingHttpHeaders,
  body: Uint8Array,
  now: number = Date.now(),
): AttemptResult {
  if (status >= 200 && status < 300) {
    const partial = readPartialSuccess(body);
    return {
      delivered: true,
      status,
      rejected: partial.rejected,
      rejectedMessage: partial.errorMessage,
    };
  }
  const message = isProtobuf(headers) ? readStatusMessage(body).slice(0, 200) : '';
  const failed: { -readonly [K in keyof Failed]: Failed[K] } = {
    delivered: false,
    retryable: RETRYABLE_STATUS.has(status),
    errorType: String(status),
    reason: message ? `HTTP ${status} (${message})` : `HTTP ${status}`,
    status,
  };
  const retryAfter = headers['retry-after'];
  if (failed.retryable && typeof retryAfter === 'string') {
    const ms = parseRetryAfter(retryAfter, now);
    if (ms !== undefined) failed.retryAfterMs = ms;
  }
  return failed;
}

/**
 * The network errors that say nobody is there to answer (rather than a busy
 * or slow backend), with the reason a failure gives for each.
 */
export const UNREACHABLE: ReadonlyMap<string, string> = new Map([
  ['ECONNREFUSED', 'connection refused'],
  ['ENOTFOUND', 'host not found'],
  ['EHOSTUNREACH', 'host unreachable'],
  ['ENETUNREACH', 'network unreachable'],
]);

const NETWORK_REASONS: Record<string, string> = {
  ...Object.fromEntries(UNREACHABLE),
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ETIMEDOUT: 'connection timed out',
};

/** An attempt's result from a network error (refused, reset, DNS, TLS). */
export function fromNetworkError(error: unknown): Failed {
  const code = (error as { code?: unknown } | null)?.code;
  const name = typeof code === 'string' ? code : error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return {
    delivered: false,
    retryable: true,
    errorType: name,
    reason: NETWORK_REASONS[name] ?? message,
  };
}

/** An attempt that got no answer in time. */
export function timedOut(timeoutMs: number): Failed {
  return {
    delivered: false,
    retryable: true,
    errorType: 'timeout',
    reason: `timeout after ${timeoutMs} ms`,
  };
}

function isProtobuf(headers: IncomingHttpHeaders): boolean {
  return headers['content-type']?.startsWith('application/x-protobuf') ?? false;
}
