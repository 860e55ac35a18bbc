// An app run as a child process by the shutdown tests: it sets up telemetry
// as argv[2] says, records spans, log records and metrics, then ends the way
// the test asks, printing JSON lines about it on stdout.
import { createInterface } from 'node:readline';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { type SamplingOptions, setup } from 'otelkit/setup';

interface Plan {
  shutdownTimeoutMs: number;
  spans: number;
  logRecords: number;
  /** Keep running this long first, exporting metrics every `intervalMs`. */
  runMs?: number;
  intervalMs?: number;
  handleSignals?: boolean;
  /** Tail sampling, and requests left open: each a root with two ended spans under it, one in ten failing. */
  sampling?: SamplingOptions;
  openTraces?: number;
  /**
   * `shutdown`: await shutdown() and report how long it took;
   * `stdin-shutdown`: the same once a line arrives on stdin;
   * `signal`: wait to be signalled; `exit`: process.exit(0) at once.
   */
  end: 'shutdown' | 'stdin-shutdown' | 'signal' | 'exit';
}

const plan = JSON.parse(process.argv[2]!) as Plan;
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

const telemetry = setup({
  service: { name: 'ending-app' },
  shutdownTimeoutMs: plan.shutdownTimeoutMs,
  handleSignals: plan.handleSignals ?? false,
  ...(plan.intervalMs === undefined ? {} : { metrics: { intervalMs: plan.intervalMs } }),
  ...(plan.sampling === undefined ? {} : { sampling: plan.sampling }),
});
const tracer = telemetry.tracer();
const logger = telemetry.logger();
const requests = telemetry.meter().createCounter('app.requests');

// Spans end in bursts across event-loop turns, as a busy service ends them.
for (let done = 0; done < plan.spans; ) {
  const burst = Math.min(500, plan.spans - done);
  for (let i = 0; i < burst; i++) {
    tracer
      .startSpan('GET /items/:id', {
        attributes: { 'http.request.method': 'GET', 'url.path': `/items/${done + i}` },
      })
      .end();
  }
  done += burst;
  requests.add(burst);
  await new Promise((resolve) => setImmediate(resolve));
}
const open = [];
for (let i = 0; i < (plan.openTraces ?? 0); i++) {
  const root = tracer.startSpan('GET /stream');
  open.push(root);
  const under = trace.setSpan(context.active(), root);
  tracer.startSpan('SELECT rows', {}, under).end();
  const render = tracer.startSpan('render', {}, under);
  if (i % 10 === 0) render.setStatus({ code: SpanStatusCode.ERROR });
  render.end();
}
for (let i = 0; i < plan.logRecords; i++)
  logger.emit({ body: `record ${i}`, severityText: 'INFO' });
if (plan.runMs) await new Promise((resolve) => setTimeout(resolve, plan.runMs));
say({ event: 'recorded', spans: plan.spans, logRecords: plan.logRecords });

async function shutDown(): Promise<void> {
  const start = performance.now();
  let error: string | null = null;
  try {
    await telemetry.shutdown();
  } catch (failure) {
    error = (failure as Error).message;
  }
  say({ event: 'settled', ms: performance.now() - start, error });
}

if (plan.end === 'shutdown') await shutDown();
else if (plan.end === 'stdin-shutdown') {
  const lines = createInterface({ input: process.stdin });
  for await (const _ of lines) {
    lines.close();
    await shutDown();
  }
} else if (plan.end === 'signal') {
  setInterval(() => {}, 60_000);
  say({ event: 'ready' });
} else {
  process.exit(0);
}
