/**
 * otelkit/express: HTTP server telemetry for Express 5.
 * @module
 */
import type { ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { OtelkitMiddlewareOptions } from '../http-server-options.ts';
import { HttpServerTelemetry } from '../http-server-telemetry.ts';
import {
  answerError,
  bindRequestBody,
  endOnClose,
  nodeRequestFacts,
  serverRequestOf,
} from '../node-request.ts';
import { runUntraced } from '../sdk-context-keys.ts';
import type { ServerRequest } from '../server-request.ts';
import { expressRouteTemplate } from './express-route.ts';

export type {
  IgnoreCandidate,
  IgnoreOption,
  OtelkitMiddlewareOptions,
} from '../http-server-options.ts';

const APP = Symbol('otelkit.express-app');
/** Set on the response when the middleware was told `recover: false`. */
const UNRECOVERED = Symbol('otelkit.express-unrecovered');
type AppResponse = ServerResponse & { [APP]?: Request['app']; [UNRECOVERED]?: true };

/**
 * Express middleware: one server span per request named by the full route
 * template (mount paths included), the request id, and the duration metric.
 * Mount it first; add `otelkitErrorHandler()` last to answer failures safely.
 *
 * @example
 * const app = express();
 * app.use(otelkitMiddleware({ captureHeaders: ['x-tenant'] }));
 * app.get('/users/:id', getUser);
 * app.use(otelkitErrorHandler());
 */
export function otelkitMiddleware(options: OtelkitMiddlewareOptions = {}): RequestHandler {
  const core = new HttpServerTelemetry(options);
  return function otelkitMiddleware(req, res, next) {
    const serverRequest = core.start(nodeRequestFacts(req));
    if (serverRequest === undefined) {
      runUntraced(next);
      return;
    }
    try {
      res.setHeader(core.requestIdHeader, serverRequest.requestId);
      (res as AppResponse)[APP] = req.app;
      if (!core.recover) (res as AppResponse)[UNRECOVERED] = true;
      endOnClose(res, serverRequest, resolveRoute);
      bindRequestBody(req, serverRequest);
    } catch {
      // Telemetry never stops the request from being served.
    }
    context.with(serverRequest.context, next);
  };
}

/**
 * Express error middleware (mount it last): records the error with its cause
 * chain and answers `500` with `{"error":"Internal Server Error","traceId":"…"}`,
 * or the error's own 4xx status with a safe message. The app keeps serving.
 * With the middleware's `recover: false`, it records the error and passes it
 * on to the next error handler (Express's own, by default).
 *
 * @example
 * app.use(otelkitErrorHandler());
 */
export function otelkitErrorHandler(): ErrorRequestHandler {
  return function otelkitErrorHandler(error, _req, res, next) {
    // Half sent, Express's own handler closes the connection; with `recover: false`, it answers.
    if (res.headersSent || (res as AppResponse)[UNRECOVERED]) {
      serverRequestOf(res)?.fail(error);
      next(error);
      return;
    }
    answerError(res, error);
  };
}

function resolveRoute(request: ServerRequest, res: ServerResponse): void {
  const route = (res.req as Request | undefined)?.route as { path: unknown } | undefined;
  if (route !== undefined) request.setRoute(expressRouteTemplate((res as AppResponse)[APP], route));
}
