import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../server/send.ts';
import type { SpanView } from '../store/span-view.ts';
import type { Store } from '../store/store.ts';
import type { TraceSummary } from '../store/trace-queries.ts';
import {
  BadQueryError,
  clampedCount,
  integer,
  severity,
  stepMs,
  text,
  timeRange,
  traceId,
} from './query-params.ts';
import { compareTraces } from './trace-comparison.ts';
import { parseTraceFilter } from './trace-filter.ts';

const tracePath = /^\/api\/traces\/([0-9a-fA-F]{32})(\/logs)?$/;

/** Handles `GET /api/...`; returns false when the path is not an API route. */
export type ApiHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => boolean;

type Route = (store: Store, params: URLSearchParams) => [status: number, body: unknown];

// Every route answers JSON; the page and any script use the same routes.
const routes: Record<string, Route> = {
  '/api/stats': (store) => [200, store.stats()],
  '/api/services': (store) => [200, { services: store.services() }],
  '/api/operations': (store, params) => [
    200,
    { operations: store.operations(text(params, 'service')) },
  ],
  '/api/traces': (store, params) => [200, store.traces.list(parseTraceFilter(params))],
  '/api/metrics': (store, params) => [200, { metrics: store.metrics.latest(text(params, 'name')) }],
  '/api/metrics/series': (store, params) => {
    const name = text(params, 'name');
    if (!name) throw new BadQueryError('name is required');
    const view = store.metricSeries.query({
      name,
      service: text(params, 'service'),
      ...timeRange(params),
      stepMs: stepMs(params),
    });
    return view ? [200, view] : [404, { error: `no metric named "${name}"` }];
  },
  '/api/errors': (store, params) => [
    200,
    store.errors.list({ service: text(params, 'service'), ...timeRange(params) }),
  ],
  '/api/dependencies': (store, params) => [
    200,
    { edges: store.dependencies.edges(timeRange(params)) },
  ],
  '/api/red': (store, params) => [
    200,
    store.red.series({
      service: text(params, 'service'),
      route: text(params, 'route'),
      ...timeRange(params),
      stepMs: stepMs(params),
    }),
  ],
  '/api/compare': (store, params) => {
    const ids = { a: traceId(params, 'a'), b: traceId(params, 'b') };
    if (!ids.a || !ids.b) throw new BadQueryError('a and b, the two trace ids, are required');
    const sides = [ids.a, ids.b].map((id) => ({
      id,
      summary: store.traces.summary(id),
      spans: store.traces.get(id),
    }));
    const missing = sides.find((side) => !side.summary || side.spans.length === 0);
    if (missing) return [404, { error: `trace ${missing.id} not found` }];
    const [a, b] = sides as { summary: TraceSummary; spans: SpanView[] }[];
    return [200, compareTraces(a!, b!)];
  },
  '/api/logs': (store, params) => [
    200,
    store.logs.search({
      q: text(params, 'q'),
      minSeverity: severity(params),
      service: text(params, 'service'),
      traceId: traceId(params, 'traceId'),
      ...timeRange(params),
      limit: clampedCount(params, 'limit', { min: 1, max: 1000, fallback: 50 }),
      offset: integer(params, 'offset', { min: 0, max: 1_000_000, fallback: 0 }),
    }),
  ],
};

/**
 * The JSON query API: `/api/stats`, `/api/services`, `/api/operations`, `/api/traces`,
 * `/api/traces/:traceId`, `/api/traces/:traceId/logs`, `/api/logs`, `/api/errors`,
 * `/api/dependencies`, `/api/red`, `/api/metrics`, `/api/metrics/series` and `/api/compare`
 * (see the README).
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
      const [status, body] = route(store, path, url.searchParams);
      sendJson(response, status, body);
    } catch (error) {
      if (!(error instanceof BadQueryError)) throw error;
      sendJson(response, 400, { error: error.message });
    }
    return true;
  };
}

function route(store: Store, path: string, params: URLSearchParams): [number, unknown] {
  const handler = routes[path];
  if (handler) return handler(store, params);
  const match = tracePath.exec(path);
  if (match) {
    const id = match[1]!.toLowerCase();
    if (match[2]) return [200, { traceId: id, logs: store.logs.ofTrace(id) }];
    const spans = store.traces.get(id);
    return spans.length === 0
      ? [404, { error: `trace ${id} not found` }]
      : [200, { traceId: id, spans }];
  }
  if (path.startsWith('/api/traces/')) throw new BadQueryError('a trace id is 32 hex digits');
  return [404, { error: `no API route ${path}` }];
}
