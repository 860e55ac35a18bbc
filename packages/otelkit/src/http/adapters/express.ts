/**
 * otelkit/express: HTTP server telemetry for Express 5.
 * @module
 */
import type { ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { errorMessage } from '../../errors/describe-error.ts';
import { errorStatus, safeErrorBody } from '../error-response.ts';
import type { OtelkitMiddlewareOptions } from '../http-server-options.ts';
import { HttpServerTelemetry } from '../http-server-telemetry.ts';
import { bindRequestBody, endOnClose, nodeRequestFacts, serverRequestOf } from '../node-request.ts';
import { printServerError } from '../print-server-error.ts';
import { runUntraced } from '../sdk-context-keys.ts';
import { type ServerRequest, traceIdOf } from '../server-request.ts';
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

/** A logger the ERROR line of a failed request can go through: pino's, or one with its `error(object, message)`. */
export interface ErrorLogger {
  error(object: { err: unknown }, message: string): void;
}

/** Options of `otelkitErrorHandler()`. */
export interface OtelkitErrorHandlerOptions {
  /**
   * The app's logger: a failed request's ERROR line goes through it, as
   * `logger.error({ err }, message)`, correlated with the request's trace
   * when it is otelkit/pino's.
   * @default the request's `req.log` (pino-http) when there is one, else `console.error(err)` as Express's own handler prints it (not in the `test` env)
   */
  logger?: ErrorLogger;
}

/**
 * Express error middleware (mount it last). A thrown error that Express
 * would answer with a 4xx (its `status` or `statusCode`) goes on to Express,
 * which answers and logs it as without otelkit. A 5xx is recorded with its
 * cause chain, logged as an ERROR line (see `logger`), and answered with
 * `{"error":"Internal Server Error","traceId":"…"}` instead of the stack
 * Express would send. The app keeps serving. With the middleware's
 * `recover: false`, it records the error and passes it on to the next error
 * handler (Express's own, by default).
 *
 * @example
 * app.use(otelkitErrorHandler({ logger }));
 */
export function otelkitErrorHandler(options: OtelkitErrorHandlerOptions = {}): ErrorRequestHandler {
  return function otelkitErrorHandler(error, req, res, next) {
    // Half sent, Express's own handler closes the connection; with `recover: false`, it answers.
    if (res.headersSent || (res as AppResponse)[UNRECOVERED]) {
      serverRequestOf(res)?.fail(error);
      next(error);
      return;
    }
    const status = expressStatus(error, res.statusCode);
    if (status < 500) {
      next(error);
      return;
    }
    const request = serverRequestOf(res);
    request?.fail(error);
    logServerError(error, req, options.logger);
    const body = safeErrorBody(status, traceIdOf(request?.span));
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('content-length', Buffer.byteLength(body));
    res.end(body);
  };
}

/** The status Express's final handler answers an error with: the error's, the response's, else 500. */
function expressStatus(error: unknown, responseStatus: number): number {
  try {
    const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
    // Express reads `status` before `statusCode`.
    const own = errorStatus({ statusCode: status }) ?? errorStatus({ statusCode });
    if (own !== undefined) return own;
  } catch {
    // An error whose fields throw gets the response's status.
  }
  return responseStatus >= 400 && responseStatus <= 599 ? responseStatus : 500;
}

function logServerError(error: unknown, req: Request, logger: ErrorLogger | undefined): void {
  const requestLogger = logger ?? pinoHttpLogger(req);
  if (requestLogger === undefined) {
    if (req.app.get('env') !== 'test') printServerError(error);
    return;
  }
  try {
    requestLogger.error({ err: error }, errorMessage(error));
  } catch {
    // A failing logger never breaks the answer.
  }
}

/** pino-http's per-request logger, when the app uses it. */
function pinoHttpLogger(req: Request): ErrorLogger | undefined {
  const log = (req as { log?: { error?: unknown } }).log;
  return typeof log?.error === 'function' ? (log as ErrorLogger) : undefined;
}

function resolveRoute(request: ServerRequest, res: ServerResponse): void {
  const route = (res.req as Request | undefined)?.route as { path: unknown } | undefined;
  if (route !== undefined) request.setRoute(expressRouteTemplate((res as AppResponse)[APP], route));
}
