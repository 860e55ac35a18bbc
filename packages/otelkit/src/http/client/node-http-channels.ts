import { channel } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { ClientSpan } from './client-span.ts';
import type { HeaderAccess, HttpClientTracer } from './http-client-tracer.ts';
import { targetOfHost } from './outgoing-target.ts';

const headerAccess: HeaderAccess<ClientRequest> = {
  get(request, name) {
    const value = request.getHeader(name);
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.map(String) : String(value);
  },
  set(request, name, value) {
    // Headers given as a raw array are written at once: nothing can be added then.
    if (!request.headersSent && !request.hasHeader(name)) request.setHeader(name, value);
  },
};

/**
 * Whether this Node publishes `http.client.request.created`, while the
 * request can still take headers (22.12 and 23.2 on). Older ones publish only
 * `http.client.request.start`, once the headers are sent: their requests are
 * traced but carry no trace context.
 */
export function publishesRequestCreated(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 2) || (major === 22 && minor >= 12);
}

/**
 * Traces the requests of `node:http` and `node:https` through Node's
 * `http.client.*` channels. Returns the unsubscribe.
 *
 * `@opentelemetry/instrumentation-http` puts its `traceparent` on the request
 * before Node creates it, so it is left to that instrumentation.
 */
export function subscribeNodeHttp(tracer: HttpClientTracer): () => void {
  const spans = new WeakMap<ClientRequest, ClientSpan>();
  const responses = new WeakMap<IncomingMessage, ClientSpan>();
  const start = channel(
    publishesRequestCreated() ? 'http.client.request.created' : 'http.client.request.start',
  );
  const response = channel('http.client.response.finish');
  const error = channel('http.client.request.error');

  function onStart(message: unknown): void {
    try {
      const request = (message as { request: ClientRequest }).request;
      // An upgrade (WebSocket) gets no response to end a span with.
      if (request.getHeader('upgrade') !== undefined) return;
      const hostHeader = request.getHeader('host');
      const target = targetOfHost(
        request.protocol,
        request.host,
        typeof hostHeader === 'string' ? hostHeader : undefined,
      );
      const span = tracer.start(request.method, target, request.path, request, headerAccess);
      if (span !== undefined) spans.set(request, span);
    } catch {
      // Telemetry never breaks the request.
    }
  }

  // Called with the response as `this`: one listener function for every response.
  // A response emits 'close' after its 'end' once read, or alone when destroyed.
  function onResponseClose(this: IncomingMessage): void {
    try {
      const span = responses.get(this);
      if (span === undefined) return;
      if (this.readableEnded) span.end();
      // Closed before its end: the connection broke (an error), or the caller destroyed it.
      else span.fail(this.errored ?? undefined);
    } catch {
      // A listener on the caller's response: nothing may escape from it.
    }
  }

  function onResponse(message: unknown): void {
    try {
      const { request, response } = message as {
        request: ClientRequest;
        response: IncomingMessage;
      };
      const span = spans.get(request);
      if (span === undefined) return;
      spans.delete(request);
      const status = response.statusCode ?? 0;
      span.peer(response.socket?.remoteAddress, response.socket?.remotePort);
      span.respond(status, response.httpVersion);
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        tracer.redirected(span, location);
      }
      responses.set(response, span);
      response.on('close', onResponseClose);
      span.watch(response);
    } catch {
      // Telemetry never breaks the request.
    }
  }

  function onError(message: unknown): void {
    try {
      const { request, error } = message as { request: ClientRequest; error: unknown };
      const span = spans.get(request);
      if (span === undefined) return;
      spans.delete(request);
      span.peer(request.socket?.remoteAddress, request.socket?.remotePort);
      // A request the caller destroyed fails with "socket hang up": not an error of the call.
      span.fail(error, request.destroyed);
    } catch {
      // Telemetry never breaks the request.
    }
  }

  start.subscribe(onStart);
  response.subscribe(onResponse);
  error.subscribe(onError);
  return () => {
    start.unsubscribe(onStart);
    response.unsubscribe(onResponse);
    error.unsubscribe(onError);
  };
}
