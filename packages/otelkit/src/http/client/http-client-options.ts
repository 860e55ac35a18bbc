import type { IgnoreCandidate } from '../http-server-options.ts';

/** An outgoing request as the `ignore` predicate sees it. */
export interface OutgoingRequestCandidate extends IgnoreCandidate {
  /** The full URL, without credentials: `https://api.example.com/v1/users?page=2`. */
  readonly url: string;
}

/**
 * Outgoing requests to leave untraced: exact origins or paths, patterns, or a
 * predicate. A server's `ignore` predicate fits here too.
 */
export type HttpClientIgnoreOption =
  | readonly (string | RegExp)[]
  | ((request: OutgoingRequestCandidate) => boolean);

/** How long an outgoing request's span may stay open by default: 5 minutes. */
export const DEFAULT_MAX_CLIENT_SPAN_MS = 300_000;

/** Options of `traceHttpClients()`: the outgoing half of the server's options. */
export interface HttpClientOptions {
  /**
   * Outgoing requests that get no span, no metric and no trace headers: exact
   * origins (`https://metrics.internal:9090`), exact paths (`/healthz`),
   * regular expressions tested on the full URL, or a predicate. A predicate
   * that throws ignores nothing.
   * @default []
   * @example ['https://metrics.internal:9090', /\/healthz$/]
   */
  ignore?: HttpClientIgnoreOption;
  /**
   * Request headers to record on the span as `http.request.header.<name>`.
   * `authorization`, `cookie`, `set-cookie`, `proxy-authorization` and
   * `x-api-key` are never recorded, even when listed.
   * @default []
   * @example ['x-tenant', 'accept-language']
   */
  captureHeaders?: readonly string[];
  /**
   * The longest an outgoing request's span stays open. A response nobody reads
   * keeps its request unfinished; its span ends when the response is
   * garbage-collected, or after this many milliseconds, whichever comes first.
   * @default 300000 (5 minutes)
   * @example 30_000
   */
  maxClientSpanMs?: number;
}
