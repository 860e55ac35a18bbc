import type { RouteStats } from './load.ts';
import { attribute, type ViewerClient } from './viewer-client.ts';

export interface Summary {
  routes: Array<{
    route: string;
    requests: number;
    '4xx %': string;
    '5xx %': string;
    'p50 ms': string;
    'p95 ms': string;
    'p99 ms': string;
  }>;
  totalRequests: number;
  slaMetPercent: number | undefined;
  mailRetries: number;
  received: { spans: number; logs: number; metricPoints: number; traces: number };
  slowestTrace: string | undefined;
  causeChainTrace: string | undefined;
  sample500: string | undefined;
  viewerUrl: string;
}

/** What the load saw, and what the viewer received, as the main job prints it. */
export async function summarize(
  stats: Map<string, RouteStats>,
  viewer: ViewerClient,
  viewerUrl: string,
): Promise<Summary> {
  const routes = [...stats.values()].map((s) => {
    const count = s.latenciesMs.length;
    const share = (predicate: (status: number) => boolean) => {
      let n = 0;
      for (const [status, times] of s.statuses) if (predicate(status)) n += times;
      return count === 0 ? '0.0' : ((100 * n) / count).toFixed(1);
    };
    const sorted = [...s.latenciesMs].sort((a, b) => a - b);
    const pct = (p: number) =>
      (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(1);
    return {
      route: s.route,
      requests: count,
      '4xx %': share((st) => st >= 400 && st < 500),
      '5xx %': share((st) => st >= 500),
      'p50 ms': pct(0.5),
      'p95 ms': pct(0.95),
      'p99 ms': pct(0.99),
    };
  });
  const [received, slowest, chained, slaPoints, retryPoints] = await Promise.all([
    viewer.stats(),
    viewer.traces({ service: 'users-api', sort: 'slowest', limit: '1' }),
    viewer.traces({
      service: 'users-api',
      operation: 'GET /users/:id/report',
      status: 'error',
      limit: '1',
    }),
    viewer.metricPoints('otelkit.sla.duration'),
    viewer.metricPoints('demo.mail.retries'),
  ]);
  let met = 0;
  let total = 0;
  for (const point of slaPoints) {
    const count = Number(point.count ?? 0);
    total += count;
    if (attribute(point.attributes, 'sla.met') === true) met += count;
  }
  const mailRetries = retryPoints.reduce((sum, p) => sum + Number(p.asInt ?? p.asDouble ?? 0), 0);
  return {
    routes,
    totalRequests: routes.reduce((sum, r) => sum + r.requests, 0),
    slaMetPercent: total === 0 ? undefined : (100 * met) / total,
    mailRetries,
    received,
    slowestTrace: slowest[0] && viewer.traceUrl(slowest[0].traceId),
    causeChainTrace: chained[0] && viewer.traceUrl(chained[0].traceId),
    sample500: [...stats.values()].find((s) => s.sample500 !== undefined)?.sample500,
    viewerUrl,
  };
}

export function printSummary(summary: Summary): void {
  const out = process.stdout;
  out.write(`\nRequests by route (${summary.totalRequests} in all)\n`);
  console.table(summary.routes);
  out.write(
    `SLA met (GET /users/:id, 200 ms target): ${summary.slaMetPercent === undefined ? 'n/a' : `${summary.slaMetPercent.toFixed(1)}%`}\n`,
  );
  out.write(`Mail retries: ${summary.mailRetries}\n`);
  const r = summary.received;
  out.write(
    `Viewer received: ${r.spans} spans in ${r.traces} traces, ${r.logs} log records, ${r.metricPoints} metric points\n\n`,
  );
  out.write(`Viewer:             ${summary.viewerUrl}\n`);
  if (summary.slowestTrace) out.write(`Slowest trace:      ${summary.slowestTrace}\n`);
  if (summary.causeChainTrace) out.write(`A cause chain:      ${summary.causeChainTrace}\n`);
  if (summary.sample500) out.write(`What a client saw of a crash (500): ${summary.sample500}\n`);
}
