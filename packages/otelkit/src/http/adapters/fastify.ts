/**
 * otelkit/fastify: HTTP server telemetry for Fastify.
 * @module
 */
import { context } from '@opentelemetry/api';
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import { clientErrorStatus, errorResponse } from '../error-response.ts';
import type { OtelkitMiddlewareOptions } from '../http-server-options.ts';
import { HttpServerTelemetry } from '../http-server-telemetry.ts';
import {
  endOnClose,
  isIgnored,
  markIgnored,
  nodeRequestFacts,
  serverRequestOf,
} from '../node-request.ts';
import { runUntraced } from '../sdk-context-keys.ts';
import { traceIdOf } from '../server-request.ts';

export type {
  IgnoreCandidate,
  IgnoreOption,
  OtelkitMiddlewareOptions,
} from '../http-server-options.ts';

/**
 * The Fastify plugin: one server span per request named by the route template,
 * the request id, the duration metric, and (unless `recover: false`) an error
 * handler that answers with the safe body. It applies to the whole app, not
 * just its own encapsulation context; register it before your routes.
 *
 * @example
 * const app = Fastify();
 * await app.register(otelkitPlugin, { ignore: ['/healthz'], sla: { 'GET /users/:id': 200 } });
 */
export const otelkitPlugin: FastifyPluginCallback<OtelkitMiddlewareOptions> = Object.assign(
  function otelkit(fastify: FastifyInstance, options: OtelkitMiddlewareOptions, done: () => void) {
    const core = new HttpServerTelemetry(options);
    fastify.addHook('onRequest', function otelkitOnRequest(request, reply, next) {
      const res = reply.raw;
      const serverRequest = core.start(nodeRequestFacts(request.raw), request.routeOptions.url);
      if (serverRequest === undefined) {
        markIgnored(res);
        runUntraced(next);
        return;
      }
      try {
        reply.header(core.requestIdHeader, serverRequest.requestId);
        endOnClose(res, serverRequest);
      } catch {
        // Telemetry never stops the request from being served.
      }
      context.with(serverRequest.context, next);
    });
    // Body parsing resumes from the connection's context: step back into ours.
    fastify.addHook('preHandler', function otelkitPreHandler(_request, reply, next) {
      enterRequestContext(reply, next);
    });
    fastify.addHook('onError', function otelkitOnError(_request, reply, error, next) {
      recordServerError(reply, error);
      next();
    });
    if (core.recover) {
      fastify.setErrorHandler(function otelkitErrorHandler(
        error: FastifyError,
        _request: FastifyRequest,
        reply: FastifyReply,
      ) {
        recordServerError(reply, error);
        const { status, body } = errorResponse(error, traceIdOf(serverRequestOf(reply.raw)?.span));
        reply.code(status).type('application/json; charset=utf-8').send(body);
      });
    }
    done();
  },
  {
    // Like fastify-plugin: the hooks apply to the whole app, not a child context.
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'otelkit',
  },
);

function enterRequestContext(reply: FastifyReply, next: HookHandlerDoneFunction): void {
  const serverRequest = serverRequestOf(reply.raw);
  if (serverRequest !== undefined) {
    // Requests without a body get here still inside the context of `onRequest`.
    if (context.active() === serverRequest.context) next();
    else context.with(serverRequest.context, next);
  } else if (isIgnored(reply.raw)) runUntraced(next);
  else next();
}

function recordServerError(reply: FastifyReply, error: unknown): void {
  if (clientErrorStatus(error) === undefined) serverRequestOf(reply.raw)?.fail(error);
}
