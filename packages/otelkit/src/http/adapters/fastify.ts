/**
 * otelkit/fastify: HTTP server telemetry for Fastify.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { context } from '@opentelemetry/api';
import type {
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  HookHandlerDoneFunction,
} from 'fastify';
import { bindLoggerContext } from '../../internal/logger-context.ts';
import { clientErrorStatus, safeErrorBody } from '../error-response.ts';
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
import { type ServerRequest, traceIdOf } from '../server-request.ts';

export type {
  IgnoreCandidate,
  IgnoreOption,
  OtelkitMiddlewareOptions,
} from '../http-server-options.ts';

/** Set on a reply that Fastify's own error handler answers: a 5xx answer gets the safe body. */
const SAFE_ANSWER = Symbol('otelkit.safe-answer');
type MarkedReply = FastifyReply & { [SAFE_ANSWER]?: true };

/**
 * The Fastify plugin: one server span per request named by the route template,
 * the request id, the duration metric, and (unless `recover: false`) the safe
 * body for a 5xx answer to a thrown error. Fastify still answers and logs
 * errors as it does without otelkit: its level-50 line with `err` for a 5xx,
 * its own status and body for a 4xx. The span starts as Fastify creates the
 * request's logger, so that Fastify's "incoming request", error and "request
 * completed" lines are correlated when the logger is otelkit/pino's. It applies
 * to the whole app, not just its own encapsulation context; register it
 * before your routes.
 *
 * @example
 * const app = Fastify({ loggerInstance: createLogger() });
 * await app.register(otelkitPlugin, { ignore: ['/healthz'], sla: { 'GET /users/:id': 250 } });
 */
export const otelkitPlugin: FastifyPluginCallback<OtelkitMiddlewareOptions> = Object.assign(
  function otelkit(fastify: FastifyInstance, options: OtelkitMiddlewareOptions, done: () => void) {
    const core = new HttpServerTelemetry(options);
    /** Requests started where their logger was made; `null` for ignored ones. */
    const started = new WeakMap<IncomingMessage, ServerRequest | null>();
    const start = (raw: IncomingMessage) => {
      let serverRequest = started.get(raw);
      if (serverRequest === undefined) {
        serverRequest = core.start(nodeRequestFacts(raw)) ?? null;
        started.set(raw, serverRequest);
      }
      return serverRequest;
    };
    const makeChildLogger = fastify.childLoggerFactory;
    fastify.setChildLoggerFactory(function otelkitChildLogger(logger, bindings, opts, raw) {
      const child = makeChildLogger.call(this, logger, bindings, opts, raw);
      const serverRequest = start(raw);
      // A factory that hands out a shared logger gets no request of its own.
      if (serverRequest !== null && child !== logger)
        bindLoggerContext(child, serverRequest.context);
      return child;
    });
    fastify.addHook('onRequest', function otelkitOnRequest(request, reply, next) {
      const res = reply.raw;
      // Started already, unless a factory set after this plugin replaced ours.
      const serverRequest = start(request.raw);
      if (serverRequest === null) {
        markIgnored(res);
        runUntraced(next);
        return;
      }
      try {
        serverRequest.setRoute(request.routeOptions.url);
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
    fastify.addHook('onError', function otelkitOnError(request, reply, error, next) {
      recordServerError(reply, error);
      // Only Fastify's own answer is made safe: an error handler of the app's answers as it likes.
      if (core.recover && isFastifyDefault(request.server.errorHandler)) {
        (reply as MarkedReply)[SAFE_ANSWER] = true;
      }
      next();
    });
    if (core.recover) {
      fastify.addHook('onSend', function otelkitOnSend(_request, reply, payload, next) {
        if ((reply as MarkedReply)[SAFE_ANSWER] !== true || reply.statusCode < 500) {
          next(null, payload);
          return;
        }
        const body = safeErrorBody(reply.statusCode, traceIdOf(serverRequestOf(reply.raw)?.span));
        reply.header('content-type', 'application/json; charset=utf-8');
        next(null, body);
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

/**
 * Whether `handler` is Fastify's default error handler (an app's own is bound
 * to its instance, so it never has that name). otelkit sets no error handler:
 * the app's own, set before or after the plugin, keeps its place and answers.
 */
function isFastifyDefault(handler: unknown): boolean {
  return typeof handler === 'function' && handler.name === 'defaultErrorHandler';
}

function recordServerError(reply: FastifyReply, error: unknown): void {
  if (clientErrorStatus(error) === undefined) serverRequestOf(reply.raw)?.fail(error);
}
