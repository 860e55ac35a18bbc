import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanKind, type Tracer } from '@opentelemetry/api';

/** What one paced run cost. */
export interface LoadResult {
  spans: number;
  /** Process CPU (every thread), µs. */
  cpuUs: number;
  /** CPU of the main thread alone, µs. */
  threadCpuUs: number;
  /** Event-loop delay while the load ran, ms. */
  loopP99Ms: number;
  loopMaxMs: number;
}

const METHODS = ['GET', 'GET', 'GET', 'POST'] as const;
const ROUTES = ['/users/:id', '/orders/:id', '/health'] as const;

/** A span shaped like an HTTP server span: 12 attributes, a few of them unique per request. */
export function endHttpServerSpan(tracer: Tracer, i: number): void {
  const route = ROUTES[i % ROUTES.length]!;
  const method = METHODS[i % METHODS.length]!;
  tracer
    .startSpan(`${method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        'url.path': route.replace(':id', String(100_000 + i)),
        'url.scheme': 'http',
        'server.address': 'api.internal',
        'server.port': 8080,
        'network.protocol.version': '1.1',
        'http.route': route,
        'http.response.status_code': i % 50 === 0 ? 500 : 200,
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
        'client.address': `10.0.${(i >> 8) & 255}.${i & 255}`,
        'client.port': 40_000 + (i % 20_000),
        'network.peer.address': '10.0.0.7',
      },
    })
    .end();
}

/**
 * Ends `spansPerSecond` spans a second for `seconds`, a few every
 * millisecond as a server would, then runs `drain` (a flush) inside the
 * measured window, so the export work of those spans is all counted.
 */
export async function runPaced(
  makeSpan: (i: number) => void,
  spansPerSecond: number,
  seconds: number,
  drain: () => Promise<void>,
): Promise<LoadResult> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const cpu = process.cpuUsage();
  const thread = process.threadCpuUsage();
  const start = performance.now();
  const total = spansPerSecond * seconds;
  histogram.enable();
  let made = 0;
  while (made < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * spansPerSecond) / 1000));
    for (; made < due; made++) makeSpan(made);
    await sleep(1);
  }
  histogram.disable();
  await drain();
  const used = process.cpuUsage(cpu);
  const usedThread = process.threadCpuUsage(thread);
  return {
    spans: made,
    cpuUs: used.user + used.system,
    threadCpuUs: usedThread.user + usedThread.system,
    loopP99Ms: histogram.percentile(99) / 1e6,
    loopMaxMs: histogram.max / 1e6,
  };
}
