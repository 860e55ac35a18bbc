/** A request as the `ignore` predicate sees it. */
export interface IgnoreCandidate {
  /** The request method as received, e.g. `GET`. */
  readonly method: string;
  /** The path, without the query, e.g. `/healthz`. */
  readonly path: string;
}

/** Requests to leave untraced: exact paths or patterns, or a predicate. */
export type IgnoreOption = readonly (string | RegExp)[] | ((request: IgnoreCandidate) => boolean);

/** Options shared by every HTTP server integration (Fastify, Express, Hono, node:http). */
export interface OtelkitMiddlewareOptions {
  /**
   * Request headers to record on the span as `http.request.header.<name>`.
   * `authorization`, `cookie`, `set-cookie`, `proxy-authorization` and
   * `x-api-key` are never recorded, even when listed.
   * @default []
   * @example ['x-tenant', 'accept-language']
   */
  captureHeaders?: readonly string[];
  /**
   * Latency targets in milliseconds per `{method} {route}`; matching spans get
   * `sla.target_ms` and `sla.met`.
   * @example { 'GET /users/:id': 250 }
   */
  sla?: Readonly<Record<string, number>>;
  /**
   * Requests that get no span and no metric (health checks, metrics scrapes):
   * exact paths, regular expressions tested on the path, or a predicate.
   * Spans started while serving them are suppressed too.
   * @example ['/healthz', /^\/internal\//]
   */
  ignore?: IgnoreOption;
  /**
   * Header carrying the request id, read from the request (or generated) and
   * echoed in the response.
   * @default 'x-request-id'
   */
  requestIdHeader?: string;
  /**
   * Answer a thrown or rejected handler with a safe body (`500` with
   * `{"error":"Internal Server Error","traceId":"…"}`, or the error's own 4xx
   * status). Set to `false` to keep the framework's own error handling; errors
   * are recorded on the span either way.
   * @default true
   */
  recover?: boolean;
}
