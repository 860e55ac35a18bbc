import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../server/send.ts';
import type { Store } from '../store/store.ts';
import { BadQueryError, parseTraceFilter } from './trace-filter.ts';

const tracePath = /^\/api\/traces\/([0-9a-fA-F]{32})(\/logs)?$/;

/** Handles `GET /api/...`; returns false when the path is not an API route. */
export type ApiHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => boolean;

/**
 * The JSON query API:
 * `GET /api/stats`, `GET /api/services`, `/api/traces?service=&operation=&status=error&minDurationMs=&since=&limit=&sort=`,
 * `/api/traces/:traceId`, `/api/traces/:traceId/logs` and `/api/metrics?name=`.
 */
export function createApi(store: Store): ApiHandler {
  return (request, response, url) => {
    const path = url.pathname;
    if (!path.startsWith('/api/')) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      sendJson(response, 405, { error: `${request.method} is not allowed; use GET` });
      return true;
    }
    try {
      route(store, path, url.searchParams, response);
    } catch (error) {
      if (!(error instanceof BadQueryError)) throw error;
      sendJson(response, 400, { error: error.message });
    }
    return true;
  };
}

function route(store: Store, path: string, params: URLSearchParams, response: ServerResponse) {
  if (path === '/api/stats') {
    sendJson(response, 200, store.stats());
    return;
  }
  if (path === '/api/services') {
    sendJson(response, 200, { services: store.services() });
    return;
  }
  if (path === '/api/traces') {
    sendJson(response, 200, { traces: store.traces.list(parseTraceFilter(params)) });
    return;
  }
  if (path === '/api/metrics') {
    sendJson(response, 200, { metrics: store.metrics.latest(params.get('name') || undefined) });
    return;
  }
  const match = tracePath.exec(path);
  if (match) {
    const traceId = match[1]!.toLowerCase();
    if (match[2]) {
      sendJson(response, 200, { traceId, logs: store.logs.ofTrace(traceId) });
      return;
    }
    const spans = store.traces.get(traceId);
    if (spans.length === 0) sendJson(response, 404, { error: `trace ${traceId} not found` });
    else sendJson(response, 200, { traceId, spans });
    return;
  }
  if (path.startsWith('/api/traces/')) {
    throw new BadQueryError('a trace id is 32 hex digits');
  }
  sendJson(response, 404, { error: `no API route ${path}` });
}
