/**
 * otelkit/hono: HTTP server telemetry for Hono.
 * @module
 */
import { createRequire } from 'node:module';
import { context, type TextMapGetter } from '@opentelemetry/api';
import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import { importPeer } from '../../internal/import-peer.ts';
import { safeErrorBody } from '../error-response.ts';
import type { OtelkitMiddlewareOptions } from '../http-server-options.ts';
import { HttpServerTelemetry } from '../http-server-telemetry.ts';
import { printServerError } from '../print-server-error.ts';
import type { RequestFacts } from '../request-facts.ts';
import { runUntraced } from '../sdk-context-keys.ts';
import { type ServerRequest, traceIdOf } from '../server-request.ts';

export type {
  IgnoreCandidate,
  IgnoreOption,
  OtelkitMiddlewareOptions,
} from '../http-server-options.ts';

type RouteHelper = typeof import('hono/route')['matchedRoutes'];

const { matchedRoutes } = await importPeer<typeof import('hono/route')>(
  'hono/route',
  'otelkit/hono',
  'hono',
);

/**
 * Hono keeps a request's match result under a module-private symbol, so the
 * route helper only reads contexts of its own copy of Hono: the ES module one
 * here, or the CommonJS one for an app that requires Hono. The second is
 * loaded the first time a context needs it.
 */
let commonJsMatchedRoutes: RouteHelper | undefined;

function routesOf(c: Context): ReturnType<RouteHelper> | undefined {
  try {
    return matchedRoutes(c);
  } catch {
    try {
      commonJsMatchedRoutes ??= (
        createRequire(import.meta.url)('hono/route') as typeof import('hono/route')
      ).matchedRoutes;
      return commonJsMatchedRoutes(c);
    } catch {
      return undefined;
    }
  }
}

const headersGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/** The Node request under `@hono/node-server`, read duck-typed so any runtime works. */
interface NodeIncoming {
  readonly httpVersion?: string;
  readonly socket?: { readonly remoteAddress?: string };
}

const SERVER_REQUEST = Symbol('otelkit.server-request');
type TrackedContext = Context & { [SERVER_REQUEST]?: ServerRequest };

/**
 * Hono middleware: one server span per request named by the matched route
 * template, the request id, the duration metric, and (unless
 * `recover: false`) the safe body for a 5xx answer to a handler that throws.
 * Hono still answers and logs errors as it does without otelkit (its
 * `onError`, `console.error` by default). Register it first, with
 * `app.use(otelkitMiddleware())`.
 *
 * @example
 * const app = new Hono();
 * app.use(otelkitMiddleware({ ignore: ['/healthz'] }));
 * app.get('/users/:id', (c) => c.json({ id: c.req.param('id') }));
 */
export function otelkitMiddleware(options: OtelkitMiddlewareOptions = {}): MiddlewareHandler {
  const core = new HttpServerTelemetry(options);
  const middleware: MiddlewareHandler = async function otelkitMiddleware(c, next) {
    const serverRequest = core.start(honoRequestFacts(c));
    if (serverRequest === undefined) return runUntraced(next);
    (c as TrackedContext)[SERVER_REQUEST] = serverRequest;
    c.header(core.requestIdHeader, serverRequest.requestId);
    try {
      await context.with(serverRequest.context, next);
    } catch (error) {
      // Only non-Error throws reach here: Hono hands Errors to `app.onError`.
      if (!core.recover) {
        finish(serverRequest, c, middleware, error);
        throw error;
      }
      // Printed as the server would print what escaped the app.
      printServerError(error);
      c.error = error instanceof Error ? error : new Error(String(error), { cause: error });
      c.res = safeResponse(c, serverRequest, 500);
    }
    if (core.recover && c.error !== undefined && c.res.status >= 500) {
      c.res = safeResponse(c, serverRequest, c.res.status);
    }
    finish(serverRequest, c, middleware, c.error);
  };
  return middleware;
}

/**
 * A Hono error handler that answers as Hono's default one does (an
 * `HTTPException`'s own response; anything else `console.error` and a 500),
 * but with the safe body: `app.onError(otelkitErrorHandler())`.
 *
 * @example
 * app.onError(otelkitErrorHandler());
 */
export function otelkitErrorHandler(): ErrorHandler {
  return function otelkitErrorHandler(error, c) {
    if ('getResponse' in error && typeof error.getResponse === 'function') {
      return error.getResponse() as Response;
    }
    printServerError(error);
    return safeResponse(c, (c as TrackedContext)[SERVER_REQUEST], 500);
  };
}

function finish(
  serverRequest: ServerRequest,
  c: Context,
  self: MiddlewareHandler,
  error: unknown,
): void {
  try {
    serverRequest.setRoute(matchedRoute(c, self));
  } catch {
    // An unknown route leaves the span named by its method, nothing worse.
  }
  try {
    const status = c.res.status;
    if (error !== undefined && status >= 500) serverRequest.fail(error);
    const length = c.res.headers.get('content-length');
    serverRequest.end(status, length === null ? undefined : Number(length));
  } catch {
    // Telemetry never breaks the response.
  }
}

/** The safe answer with `status`. */
function safeResponse(c: Context, serverRequest: ServerRequest | undefined, status: number) {
  try {
    // Hono keeps the previous answer's headers when `c.res` is replaced, but not its length.
    c.res.headers.delete('content-length');
  } catch {
    // Immutable headers: the new response starts from its own.
  }
  return new Response(safeErrorBody(status, traceIdOf(serverRequest?.span)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/** The template of the handler that answered; none when a middleware (or not-found) did. */
function matchedRoute(c: Context, self: MiddlewareHandler): string | undefined {
  const route = routesOf(c)?.[c.req.routeIndex];
  if (route === undefined || route.handler === self) return undefined;
  if (route.method === 'ALL' && route.handler.length >= 2) return undefined;
  return route.path;
}

function honoRequestFacts(c: Context): RequestFacts<Headers> {
  const raw = c.req.raw;
  const url = raw.url;
  const schemeEnd = url.indexOf(':');
  const pathStart = url.indexOf('/', schemeEnd + 3);
  const target = pathStart === -1 ? '/' : url.slice(pathStart);
  const q = target.indexOf('?');
  const headers = raw.headers;
  const incoming = (c.env as { incoming?: NodeIncoming } | undefined)?.incoming;
  return {
    method: raw.method,
    path: q === -1 ? target : target.slice(0, q),
    query: q === -1 ? undefined : target.slice(q + 1),
    scheme: url.slice(0, schemeEnd),
    host: headers.get('host') ?? undefined,
    clientAddress: incoming?.socket?.remoteAddress,
    protocolVersion: incoming?.httpVersion,
    userAgent: headers.get('user-agent') ?? undefined,
    contentLength: headers.get('content-length') ?? undefined,
    carrier: headers,
    getter: headersGetter,
  };
}
