import type { IncomingMessage, ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
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

/** Options of `instrumentHandler()`. */
export interface InstrumentHandlerOptions extends OtelkitMiddlewareOptions {
  /**
   * The route template of a request (`/users/:id`), from your router. Without
   * it, spans are named by the method alone and `http.route` is absent.
   * @example (req) => router.match(req.url)?.pattern
   */
  route?: (req: IncomingMessage) => string | undefined;
}

/** A `node:http` request listener. */
export type NodeRequestHandler<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse<Req> = ServerResponse<Req>,
> = (req: Req, res: Res) => unknown;

/**
 * Wraps a `node:http` request listener: one server span per request, the
 * request id, the duration metric, and recovery from a handler that throws or
 * rejects (a safe `500`, the error recorded, the server still serving).
 *
 * @example
 * const server = createServer(instrumentHandler((req, res) => res.end('ok'), { ignore: ['/healthz'] }));
 */
export function instrumentHandler<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse<Req> = ServerResponse<Req>,
>(
  handler: NodeRequestHandler<Req, Res>,
  options: InstrumentHandlerOptions = {},
): (req: Req, res: Res) => void {
  const core = new HttpServerTelemetry(options);
  const route = options.route;
  const resolveRoute =
    route === undefined
      ? undefined
      : (request: ServerRequest, res: ServerResponse) => request.setRoute(route(res.req));
  return function instrumentedHandler(req: Req, res: Res): void {
    const request = core.start(nodeRequestFacts(req));
    if (request === undefined) {
      runUntraced(() => invoke(handler, req, res, core.recover));
      return;
    }
    try {
      res.setHeader(core.requestIdHeader, request.requestId);
      endOnClose(res, request, resolveRoute);
      bindRequestBody(req, request);
    } catch {
      // Telemetry never stops the request from being served.
    }
    context.with(request.context, invoke, undefined, handler, req, res, core.recover);
  };
}

function invoke<Req extends IncomingMessage, Res extends ServerResponse<Req>>(
  handler: NodeRequestHandler<Req, Res>,
  req: Req,
  res: Res,
  recover: boolean,
): void {
  let result: unknown;
  try {
    result = handler(req, res);
  } catch (error) {
    handleFailure(res, error, recover);
    return;
  }
  if (result instanceof Promise) {
    result.then(undefined, (error: unknown) => handleFailure(res, error, recover));
  }
}

function handleFailure(res: ServerResponse, error: unknown, recover: boolean): void {
  if (recover) {
    answerError(res, error);
    return;
  }
  // Without recovery the failure takes its usual course, recorded first.
  serverRequestOf(res)?.fail(error);
  throw error;
}
