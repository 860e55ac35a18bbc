import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../packages/viewer/src/store/store.ts';
import { type DatasetFacts, dataset, emptyFacts } from './dataset.ts';
import { startServerProcess } from './server-process.ts';
import { percentile, round, summarize } from './stats.ts';

/** Options of {@link runQueryBenchmark}. */
export interface QueryBenchmarkOptions {
  /** Spans to store before querying. */
  spans: number;
  /** Log records to store before querying. */
  logs: number;
  /** Timed runs of each query (after warm-ups). */
  runs: number;
}

/** The p95 goal of every API route, over its varied filters. */
export const goalMs = 100;

const warmups = 3;
const day = 24 * 60 * 60 * 1000;
const hour = 60 * 60 * 1000;

interface Query {
  route: string;
  name: string;
  path: string;
}

/** The queries a person makes through the page, and a script through the API: varied filters. */
function queries(facts: DatasetFacts, endMs: number): Query[] {
  const last = (ms: number) => `since=${endMs - ms}&until=${endMs}`;
  const user = facts.userIds[0] ?? '1';
  const order = facts.orderIds[0] ?? '100000';
  const trace = facts.traceIds[0] ?? facts.bigTraceId;
  const q = (route: string, name: string, path: string) => ({ route, name, path });
  return [
    q('/api/traces', 'all, newest 20, with the total', '/api/traces?limit=20'),
    q('/api/traces', 'last 5 min', `/api/traces?${last(5 * 60_000)}&limit=20`),
    q(
      '/api/traces',
      'one service, last hour',
      `/api/traces?service=billing&${last(hour)}&limit=20`,
    ),
    q(
      '/api/traces',
      'service + operation',
      '/api/traces?service=inventory&operation=POST%20/reserve&limit=20',
    ),
    q(
      '/api/traces',
      'attribute: a common route',
      '/api/traces?attr=http.route=/products/:id&limit=20',
    ),
    q('/api/traces', 'attribute: one user', `/api/traces?attr=user.id=${user}&limit=20`),
    q(
      '/api/traces',
      'two attributes and errors',
      '/api/traces?attr=http.route=/checkout&attr=http.response.status_code=502&status=error&limit=20',
    ),
    q(
      '/api/traces',
      'errors only, last 6 h',
      `/api/traces?status=error&${last(6 * hour)}&limit=20`,
    ),
    q(
      '/api/traces',
      'duration between 500 ms and 5 s',
      '/api/traces?minDurationMs=500&maxDurationMs=5000&limit=20',
    ),
    q('/api/traces', 'slowest first, 24 h', `/api/traces?sort=slowest&${last(day)}&limit=20`),
    q('/api/traces', 'page 6 of 100', '/api/traces?limit=100&offset=500'),
    q('/api/traces/:traceId', 'a request trace', `/api/traces/${trace}`),
    q('/api/traces/:traceId', 'a 1,000-span trace', `/api/traces/${facts.bigTraceId}`),
    q('/api/traces/:traceId/logs', 'logs of a trace', `/api/traces/${trace}/logs`),
    q(
      '/api/compare',
      'two request traces',
      `/api/compare?a=${trace}&b=${facts.traceIds[1] ?? trace}`,
    ),
    q(
      '/api/compare',
      'a 1,000-span trace with itself',
      `/api/compare?a=${facts.bigTraceId}&b=${facts.bigTraceId}`,
    ),
    q('/api/operations', 'of a service', '/api/operations?service=inventory'),
    q('/api/operations', 'of all services', '/api/operations'),
    q('/api/services', 'services', '/api/services'),
    q('/api/errors', 'all', '/api/errors'),
    q('/api/errors', 'one service', '/api/errors?service=inventory'),
    q('/api/errors', 'last hour', `/api/errors?${last(hour)}`),
    q('/api/dependencies', 'all', '/api/dependencies'),
    q('/api/dependencies', 'last hour', `/api/dependencies?${last(hour)}`),
    q('/api/red', 'gateway (metric), all', '/api/red?service=gateway'),
    q(
      '/api/red',
      'gateway, one route, 6 h',
      `/api/red?service=gateway&route=/checkout&${last(6 * hour)}`,
    ),
    q('/api/red', 'inventory (server spans), all', '/api/red?service=inventory'),
    q('/api/red', 'every service, 24 h', `/api/red?${last(day)}`),
    q('/api/logs', 'newest 50, with the total', '/api/logs'),
    q('/api/logs', 'text: an order id', `/api/logs?q=${order}`),
    q('/api/logs', 'text: a common word', '/api/logs?q=refreshed'),
    q('/api/logs', 'WARN and above', '/api/logs?severity=WARN'),
    q(
      '/api/logs',
      'one service, ERROR, last hour',
      `/api/logs?service=billing&severity=ERROR&${last(hour)}`,
    ),
    q('/api/logs', 'one trace', `/api/logs?traceId=${trace}`),
    q(
      '/api/logs',
      'text and time, page 3',
      `/api/logs?q=slow%20query&${last(6 * hour)}&offset=100`,
    ),
    q('/api/metrics', 'latest points', '/api/metrics'),
    q(
      '/api/metrics/series',
      'histogram, all',
      '/api/metrics/series?name=http.server.request.duration',
    ),
    q(
      '/api/metrics/series',
      'counter, 24 h',
      `/api/metrics/series?name=orders.placed&${last(day)}`,
    ),
    q(
      '/api/metrics/series',
      'gauge of one service, 6 h',
      `/api/metrics/series?name=process.memory.usage&service=users&${last(6 * hour)}`,
    ),
  ];
}

/**
 * Fills a SQLite file with a realistic day of telemetry (spans, logs and metrics, written as the
 * receiver hands them to the store), then times every API route over HTTP against a viewer
 * process, with varied filters: the queries take turns, round after round, so that any load on
 * the machine spreads over all of them.
 */
export async function runQueryBenchmark(options: QueryBenchmarkOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-viewer-query-'));
  const dbPath = join(dir, 'viewer.db');
  const fillStarted = performance.now();
  const endMs = Date.now();
  const facts = emptyFacts();
  const store = Store.open({
    path: dbPath,
    maxSpans: options.spans + options.logs,
    maxAgeMs: 7 * day,
  });
  for (const batch of dataset(
    { spans: options.spans, logs: options.logs, startMs: endMs - day, endMs, seed: 42 },
    facts,
  )) {
    store.write([batch]);
  }
  const stats = store.stats();
  store.close();
  const fillS = (performance.now() - fillStarted) / 1000;

  const server = await startServerProcess([
    '--db',
    dbPath,
    '--max-spans',
    String(options.spans + options.logs),
  ]);
  const list = queries(facts, endMs);
  const timings = list.map(() => [] as number[]);
  const sizes = list.map(() => 0);
  const answers = list.map(() => undefined as unknown);
  let memory: ReturnType<typeof server.memory>;
  try {
    for (let round = 0; round < warmups + options.runs; round++) {
      for (const [i, query] of list.entries()) {
        const started = performance.now();
        const response = await fetch(`${server.url}${query.path}`);
        const body = await response.text();
        const ms = performance.now() - started;
        if (!response.ok) throw new Error(`${query.path}: ${response.status} ${body}`);
        if (round >= warmups) timings[i]!.push(ms);
        sizes[i] = body.length;
        answers[i] = JSON.parse(body);
      }
    }
    memory = server.memory();
  } finally {
    await server.stop();
  }
  const dbMb = statSync(dbPath).size / 1e6;
  rmSync(dir, { recursive: true, force: true });

  const results = list.map((query, i) => ({
    ...query,
    ...summarize(timings[i]!),
    found: found(answers[i]),
    responseKb: round(sizes[i]! / 1024, 1),
  }));
  const routes = [...new Set(list.map((q) => q.route))].map((route) => {
    const all = list.flatMap((q, i) => (q.route === route ? timings[i]! : []));
    const sorted = [...all].sort((a, b) => a - b);
    return {
      route,
      filters: list.filter((q) => q.route === route).length,
      p95Ms: round(percentile(sorted, 95)),
    };
  });
  return {
    name: 'viewer-query',
    description: `API response times over HTTP with ${stats.spans.toLocaleString('en-US')} spans and ${stats.logs.toLocaleString('en-US')} log records stored (a day of a six-service shop), ${options.runs} runs of each query after ${warmups} warm-ups, the queries taking turns`,
    stored: { ...stats, traces: facts.traces },
    runs: options.runs,
    fillSeconds: round(fillS, 1),
    databaseMb: round(dbMb, 1),
    serverRssMb: round(memory.peakRssMb, 1),
    loadAverageAfter: round(loadavg()[0]!),
    routes,
    queries: results,
  };
}

// How much a query found: the total, or the length of its main list.
function found(answer: unknown): number {
  const body = answer as Record<string, unknown>;
  if (typeof body.total === 'number') return body.total;
  for (const key of [
    'rows',
    'traces',
    'spans',
    'logs',
    'errors',
    'edges',
    'series',
    'operations',
    'services',
    'metrics',
  ]) {
    if (Array.isArray(body[key])) return (body[key] as unknown[]).length;
  }
  return 0;
}
