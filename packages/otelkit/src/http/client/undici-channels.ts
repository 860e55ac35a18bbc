import { channel } from 'node:diagnostics_channel';
import type { ClientSpan } from './client-span.ts';
import type { HeaderAccess, HttpClientTracer } from './http-client-tracer.ts';
import { targetOfOrigin } from './outgoing-target.ts';

/** The request undici publishes on its channels: the public part we read. */
interface UndiciRequest {
  readonly origin: string | URL;
  readonly method: string;
  /** The request target: path and query. */
  readonly path: string;
  /** Name/value pairs (undici 6 and 7), or raw header lines (older undici). */
  readonly headers: readonly (string | readonly string[])[] | string;
  /** Set for a WebSocket upgrade, which ends without a response body. */
  readonly upgrade?: unknown;
  addHeader(name: string, value: string): unknown;
}

interface UndiciResponse {
  readonly statusCode: number;
  /** Raw name/value pairs. */
  readonly headers: readonly (Buffer | string)[];
}

const headerAccess: HeaderAccess<UndiciRequest> = {
  get(request, name) {
    const headers = request.headers;
    if (typeof headers === 'string') return headerLine(headers, name);
    for (let i = 0; i < headers.length; i += 2) {
      const key = headers[i];
      if (typeof key === 'string' && key.length === name.length && key.toLowerCase() === name) {
        const value = headers[i + 1];
        return typeof value === 'string' ? value : value?.map(String);
      }
    }
    return undefined;
  },
  set(request, name, value) {
    // The tracer injects only into requests without a traceparent: no need to look again.
    if (name === 'traceparent' || headerAccess.get(request, name) === undefined) {
      request.addHeader(name, value);
    }
  },
};

/**
 * Traces the requests of global `fetch` and of undici through undici's
 * `undici:request:*` channels. Returns the unsubscribe.
 *
 * Another tracer of undici (`@opentelemetry/instrumentation-undici`, an APM)
 * subscribed before us has put its `traceparent` on the request when we see
 * it, and we leave the request to it. One subscribed after us would add a
 * second `traceparent`: such tracers listen on `undici:client:sendHeaders`,
 * which otelkit never does, so when that channel gains a listener we give
 * that request up and move behind the newcomer for the next ones.
 */
export function subscribeUndici(tracer: HttpClientTracer): () => void {
  const spans = new WeakMap<object, ClientSpan>();
  const create = channel('undici:request:create');
  const headers = channel('undici:request:headers');
  const trailers = channel('undici:request:trailers');
  const error = channel('undici:request:error');
  const sendHeaders = channel('undici:client:sendHeaders');
  let othersListen = sendHeaders.hasSubscribers;

  function onCreate(message: unknown): void {
    try {
      const listening = sendHeaders.hasSubscribers;
      if (listening !== othersListen) {
        othersListen = listening;
        if (listening) {
          create.unsubscribe(onCreate);
          create.subscribe(onCreate);
          return;
        }
      }
      const request = (message as { request: UndiciRequest }).request;
      if (request.method === 'CONNECT' || request.upgrade) return;
      const origin = request.origin;
      const target = targetOfOrigin(typeof origin === 'string' ? origin : String(origin));
      if (target === undefined) return;
      const span = tracer.start(request.method, target, request.path, request, headerAccess);
      if (span !== undefined) spans.set(request, span);
    } catch {
      // Telemetry never breaks the request.
    }
  }

  function onHeaders(message: unknown): void {
    try {
      const { request, response } = message as { request: object; response: UndiciResponse };
      const span = spans.get(request);
      if (span === undefined || response.statusCode < 200) return;
      span.respond(response.statusCode);
      if (response.statusCode >= 300 && response.statusCode < 400) {
        const location = responseHeader(response.headers, 'location');
        if (location !== undefined) tracer.redirected(span, location);
      }
    } catch {
      // Telemetry never breaks the request.
    }
  }

  function onTrailers(message: unknown): void {
    try {
      const request = (message as { request: object }).request;
      const span = spans.get(request);
      if (span === undefined) return;
      spans.delete(request);
      span.end();
    } catch {
      // Telemetry never breaks the request.
    }
  }

  function onError(message: unknown): void {
    try {
      const { request, error } = message as { request: object; error: unknown };
      const span = spans.get(request);
      if (span === undefined) return;
      spans.delete(request);
      span.fail(error);
    } catch {
      // Telemetry never breaks the request.
    }
  }

  create.subscribe(onCreate);
  headers.subscribe(onHeaders);
  trailers.subscribe(onTrailers);
  error.subscribe(onError);
  return () => {
    create.unsubscribe(onCreate);
    headers.unsubscribe(onHeaders);
    trailers.unsubscribe(onTrailers);
    error.unsubscribe(onError);
  };
}

function headerLine(raw: string, name: string): string | undefined {
  for (const line of raw.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon !== -1 && line.slice(0, colon).trim().toLowerCase() === name) {
      return line.slice(colon + 1).trim();
    }
  }
  return undefined;
}

function responseHeader(raw: readonly (Buffer | string)[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    if (String(raw[i]).toLowerCase() === name) return String(raw[i + 1]);
  }
  return undefined;
}
