import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { context, defaultTextMapGetter, trace } from '@opentelemetry/api';
import { errorResponse } from './error-response.ts';
import { printServerError } from './print-server-error.ts';
import { parseContentLength, type RequestFacts } from './request-facts.ts';
import { type ServerRequest, traceIdOf } from './server-request.ts';

const SERVER_REQUEST = Symbol('otelkit.server-request');
const BEFORE_END = Symbol('otelkit.before-end');
const IGNORED = Symbol('otelkit.ignored');

type TrackedResponse = ServerResponse & {
  [SERVER_REQUEST]?: ServerRequest;
  [BEFORE_END]?: (request: ServerRequest, res: ServerResponse) => void;
  [IGNORED]?: true;
};

/** Notes that the request on `res` is ignored, for adapters that look it up again later. */
export function markIgnored(res: ServerResponse): void {
  (res as TrackedResponse)[IGNORED] = true;
}

/** Whether `markIgnored` was called for `res`. */
export function isIgnored(res: ServerResponse): boolean {
  return (res as TrackedResponse)[IGNORED] === true;
}

/** The facts of a Node request, for `HttpServerTelemetry.start`. */
export function nodeRequestFacts(req: IncomingMessage): RequestFacts<IncomingHttpHeaders> {
  const { path, query } = splitTarget(req.url ?? '/');
  const headers = req.headers;
  const socket = req.socket as TLSSocket | undefined;
  return {
    method: req.method ?? 'GET',
    path,
    query,
    scheme: socket?.encrypted ? 'https' : 'http',
    host: headers.host ?? headers[':authority']?.toString(),
    clientAddress: socket?.remoteAddress,
    protocolVersion: req.httpVersion,
    userAgent: headers['user-agent'],
    contentLength: headers['content-length'],
    carrier: headers,
    getter: defaultTextMapGetter,
  };
}

/** Splits a request target into path and query; an absolute-form target loses its origin. */
export function splitTarget(target: string): { path: string; query: string | undefined } {
  let url = target;
  if (!url.startsWith('/') && url.includes('://')) {
    try {
      const parsed = new URL(url);
      url = parsed.pathname + parsed.search;
    } catch {
      // Keep the raw target: it is only ever recorded, never routed on.
    }
  }
  const q = url.indexOf('?');
  return q === -1
    ? { path: url, query: undefined }
    : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/**
 * Ends `request` when `res` closes (after the last byte, or on abort), with
 * the status and `content-length` of the response. `beforeEnd` runs first, to
 * let an adapter resolve the route late. The listener is prepended so that it
 * runs before `@opentelemetry/instrumentation-http` ends its span.
 */
export function endOnClose(
  res: ServerResponse,
  request: ServerRequest,
  beforeEnd?: (request: ServerRequest, res: ServerResponse) => void,
): void {
  const tracked = res as TrackedResponse;
  tracked[SERVER_REQUEST] = request;
  if (beforeEnd !== undefined) tracked[BEFORE_END] = beforeEnd;
  res.prependListener('close', onClose);
}

function onClose(this: TrackedResponse): void {
  const request = this[SERVER_REQUEST];
  if (request === undefined) return;
  try {
    this[BEFORE_END]?.(request, this);
  } catch {
    // A failing route lookup leaves the span without a route, nothing worse.
  }
  request.end(
    this.headersSent ? this.statusCode : undefined,
    parseContentLength(this.getHeader('content-length')),
  );
}

/** The request being served on `res`, when an otelkit adapter tracks it. */
export function serverRequestOf(res: ServerResponse): ServerRequest | undefined {
  return (res as TrackedResponse)[SERVER_REQUEST];
}

/**
 * Answers a thrown error on a Node response with `errorResponse`: a failure
 * of the server (5xx) is recorded on the request and printed as Node prints
 * an error nobody caught; a 4xx is the client's error, answered only. When
 * the headers are already out, the response is just ended.
 */
export function answerError(res: ServerResponse, error: unknown): void {
  const request = serverRequestOf(res);
  const span = request?.span ?? trace.getSpan(context.active());
  const { status, body } = errorResponse(error, traceIdOf(span));
  if (status >= 500) {
    request?.fail(error);
    printServerError(error);
  }
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * Makes the body's stream events (`data`, `end`) run in the request's context.
 * Node emits them from the connection's context, which would lose the server
 * span in callback-style body readers; requests without a body skip the cost.
 */
export function bindRequestBody(req: IncomingMessage, request: ServerRequest): void {
  const { headers } = req;
  const length = headers['content-length'];
  if ((length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined) {
    context.bind(request.context, req);
  }
}
