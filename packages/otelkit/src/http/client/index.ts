/**
 * Outgoing HTTP tracing: `fetch`, undici, `node:http` and `node:https` calls
 * traced from Node's diagnostics channels, without patching.
 * @module
 */

export type {
  HttpClientIgnoreOption,
  HttpClientOptions,
  OutgoingRequestCandidate,
} from './http-client-options.ts';
export { DEFAULT_MAX_CLIENT_SPAN_MS } from './http-client-options.ts';
export { traceHttpClients } from './trace-http-clients.ts';
