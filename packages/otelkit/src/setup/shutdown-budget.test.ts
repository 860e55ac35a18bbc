import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../export/test-support/closed-port.ts';
import { type Behaviour, MisbehavingCollector } from '../test-support/misbehaving-collector.ts';
import { SOURCE_NODE_FLAGS } from '../test-support/source-node.ts';

// The budgets users are promised, checked in child processes against real
// loopback backends that misbehave. The margins are the promises themselves:
// the behaviour before them overran by seconds.
const BUDGET_MS = 2000;
const SETTLE_MARGIN_MS = 250;
const EXIT_MS = 1000;

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const app = fileURLToPath(new URL('../test-support/ending-app.ts', import.meta.url));
const collectors: MisbehavingCollector[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.allSettled(collectors.splice(0).map((collector) => collector.stop()));
});

async function collector(
  behaviour: Partial<Record<'traces' | 'logs' | 'metrics', Behaviour>>,
): Promise<MisbehavingCollector> {
  const started = await new MisbehavingCollector(behaviour).start();
  collectors.push(started);
  return started;
}

interface Ended {
  /** JSON lines the app printed. */
  events: Record<string, unknown>[];
  stderr: string;
  code: number | null;
  /** From the app's `settled` line (or the signal) to its exit, as this process saw it. */
  exitMs: number;
}

/** Runs the ending app with `plan`, each signal exported where `endpoints` say. */
function runApp(
  plan: Record<string, unknown>,
  endpoints: { traces: string; logs: string; metrics: string },
  act: (child: ChildProcess, event: Record<string, unknown>) => void = () => {},
  env: Record<string, string> = {},
): Promise<Ended> {
  const child = spawn(
    process.execPath,
    [...SOURCE_NODE_FLAGS, app, JSON.stringify({ shutdownTimeoutMs: BUDGET_MS, ...plan })],
    {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoints.traces}/v1/traces`,
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${endpoints.logs}/v1/logs`,
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${endpoints.metrics}/v1/metrics`,
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const events: Record<string, unknown>[] = [];
  let stderr = '';
  let lastAt = performance.now();
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as Record<string, unknown>;
    events.push(event);
    lastAt = performance.now();
    act(child, event);
  });
  return once(child, 'exit').then(([code]) => ({
    events,
    stderr,
    code: code as number | null,
    exitMs: performance.now() - lastAt,
  }));
}

function settled(ended: Ended): { ms: number; error: string | null } {
  const event = ended.events.find((e) => e.event === 'settled');
  expect(event, `the app never settled; stderr:\n${ended.stderr}`).toBeDefined();
  return event as { ms: number; error: string | null };
}

/** The otelkit lines of stderr, without Node's warning prefix. */
function otelkitLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.includes('otelkit'))
    .map((line) => line.replace(/^\(node:\d+\) OtelkitWarning: /, ''));
}

describe('shutdown keeps its budget, and so does the process', () => {
  it.each<Behaviour>(['hang', '429', 'slow'])(
    'settles within shutdownTimeoutMs and exits within a second when every backend answers "%s"',
    async (behaviour) => {
      const backend = await collector({ traces: behaviour, logs: behaviour, metrics: behaviour });
      const endpoint = backend.endpoint;
      const ended = await runApp(
        { spans: 2000, logRecords: 200, end: 'shutdown' },
        { traces: endpoint, logs: endpoint, metrics: endpoint },
      );
      const { ms, error } = settled(ended);
      expect(ms).toBeLessThan(BUDGET_MS + SETTLE_MARGIN_MS);
      expect(ended.exitMs).toBeLessThan(EXIT_MS);
      expect(ended.code).toBe(0);
      for (const signal of ['traces', 'logs', 'metrics']) {
        expect(error).toContain(`${endpoint}/v1/${signal}`);
      }
      expect(ended.stderr).not.toMatch(/retrying/);
    },
  );

  it('settles within shutdownTimeoutMs with the official http/json exporters and a hanging backend', async () => {
    const backend = await collector({ traces: 'hang', logs: 'hang', metrics: 'hang' });
    const endpoint = backend.endpoint;
    const ended = await runApp(
      { spans: 200, logRecords: 20, end: 'shutdown' },
      { traces: endpoint, logs: endpoint, metrics: endpoint },
      () => {},
      // Past the budget, so only shutdown's own deadline can end it in time.
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TIMEOUT: '4000' },
    );
    const { ms, error } = settled(ended);
    expect(ms).toBeLessThan(BUDGET_MS + SETTLE_MARGIN_MS);
    expect(error).toContain('traces');
  });

  it('settles within a quarter second when nothing listens, metrics included, after a long run', async () => {
    const backend = await collector({});
    // The metrics reached the collector several times before it went away.
    const ended = await runApp(
      { spans: 10, logRecords: 1, runMs: 1000, intervalMs: 100, end: 'stdin-shutdown' },
      { traces: backend.endpoint, logs: backend.endpoint, metrics: backend.endpoint },
      (child, event) => {
        if (event.event !== 'recorded') return;
        void backend.stop().then(() => child.stdin!.end('shut down\n'));
      },
    );
    expect(backend.requests.metrics).toBeGreaterThan(2);
    const { ms, error } = settled(ended);
    expect(ms).toBeLessThan(250);
    expect(error).toContain('connection refused');
    expect(ended.exitMs).toBeLessThan(EXIT_MS);
  });

  it.each<Behaviour>(['hang', '429'])(
    'counts every span exactly once at the metrics endpoint when the traces backend answers "%s" to a flood',
    async (behaviour) => {
      const traces = await collector({ traces: behaviour });
      const metrics = await collector({});
      const spans = 30_000;
      const ended = await runApp(
        { spans, logRecords: 0, end: 'shutdown' },
        { traces: traces.endpoint, logs: metrics.endpoint, metrics: metrics.endpoint },
      );
      const { ms } = settled(ended);
      expect(ms).toBeLessThan(BUDGET_MS + SETTLE_MARGIN_MS);
      // The self-metrics left, though the spans used what time they were given.
      const exported = (errorType: 'none' | 'any') =>
        metrics.sum('otel.sdk.exporter.span.exported', (a) =>
          errorType === 'none' ? a['error.type'] === undefined : a['error.type'] !== undefined,
        );
      const droppedAtProcessor = metrics.sum(
        'otel.sdk.processor.span.processed',
        (a) => a['error.type'] !== undefined,
      );
      expect(exported('none')).toBe(traces.delivered.traces);
      expect(exported('none') + exported('any') + droppedAtProcessor).toBe(spans);
      expect(exported('any') + droppedAtProcessor).toBeGreaterThan(0);
    },
  );

  it('ends on SIGTERM within shutdownTimeoutMs and a second, one line per destination that failed', async () => {
    const backend = await collector({ traces: 'hang', logs: 'hang', metrics: 'hang' });
    const endpoint = backend.endpoint;
    let signalledAt = 0;
    const ended = await runApp(
      { spans: 100, logRecords: 10, handleSignals: true, end: 'signal' },
      { traces: endpoint, logs: endpoint, metrics: endpoint },
      (child, event) => {
        if (event.event !== 'ready') return;
        signalledAt = performance.now();
        child.kill('SIGTERM');
      },
    );
    expect(ended.code).toBe(143);
    expect(performance.now() - signalledAt).toBeLessThan(BUDGET_MS + EXIT_MS);
    const lines = otelkitLines(ended.stderr);
    expect(lines).toEqual([
      expect.stringMatching(/^otelkit: 100 spans were not exported to .*\/v1\/traces: /),
      expect.stringMatching(/^otelkit: 10 log records were not exported to .*\/v1\/logs: /),
      expect.stringMatching(
        /^otelkit: \d+ metric data points were not exported to .*\/v1\/metrics: /,
      ),
    ]);
    expect(ended.stderr).not.toMatch(/^\s+at /m);
    expect(ended.stderr).not.toMatch(/retrying/);
  });

  it('says in one line what process.exit() before shutdown() loses, without waiting', async () => {
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}`;
    const ended = await runApp(
      { spans: 7, logRecords: 3, end: 'exit' },
      { traces: endpoint, logs: endpoint, metrics: endpoint },
    );
    expect(ended.code).toBe(0);
    expect(otelkitLines(ended.stderr)).toEqual([
      'otelkit: the process exited before telemetry.shutdown(): 7 spans and 3 log records were not exported, nor the metrics recorded since the last export (await shutdown() before process.exit(), or setup({ handleSignals: true }))',
    ]);
  });
});
