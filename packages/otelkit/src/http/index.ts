/**
 * otelkit/http: HTTP server telemetry for plain `node:http` servers (the same
 * core serves `otelkit/fastify`, `otelkit/express` and `otelkit/hono`), and
 * tracing of outgoing calls, which `setup()` installs by itself.
 * @module
 */

export type {
  InstrumentHandlerOptions,
  NodeRequestHandler,
} from './adapters/node-http.ts';
export { instrumentHandler } from './adapters/node-http.ts';
export { NEVER_CAPTURED } from './capture-headers.ts';
export type {
  HttpClientIgnoreOption,
  HttpClientOptions,
  OutgoingRequestCandidate,
} from './client/index.ts';
export { DEFAULT_MAX_CLIENT_SPAN_MS, traceHttpClients } from './client/index.ts';
export { HTTP_DURATION_BUCKETS } from './duration-metric.ts';
export type { ErrorResponse } from './error-response.ts';
export { errorResponse } from './error-response.ts';
export type {
  IgnoreCandidate,
  IgnoreOption,
  OtelkitMiddlewareOptions,
} from './http-server-options.ts';
export { REDACTED, redactQuery } from './redact-query.ts';
