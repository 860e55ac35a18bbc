import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../export/test-support/closed-port.ts';
import { MisbehavingCollector } from '../test-support/misbehaving-collector.ts';
import { SOURCE_NODE_FLAGS } from '../test-support/source-node.ts';

// The shutdown promises hold with tail sampling on: one budget, every span
// counted once, and what waits for a decision named when the process exits.
const BUDGET_MS = 2000;
const SETTLE_MARGIN_MS = 250;

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const app = fileURLToPath(new URL('../test-support/ending-app.ts', import.meta.url));
const children: ChildProcess[] = [];
const collectors: MisbehavingCollector[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.allSettled(collectors.splice(0).map((c) => c.stop()));
});

async function runApp(
  plan: Record<string, unknown>,
  endpoints: { traces: string; metrics: string },
) {
  const child = spawn(
    process.execPath,
    [
      ...SOURCE_NODE_FLAGS,
      app,
      JSON.stringify({ shutdownTimeoutMs: BUDGET_MS, logRecords: 0, ...plan }),
    ],
    {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoints.traces}/v1/traces`,
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${endpoints.metrics}/v1/metrics`,
        OTEL_LOGS_EXPORTER: 'none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const events: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => events.push(JSON.parse(line)));
  const [code] = await once(child, 'exit');
  return { events, stderr, code: code as number | null };
}

async function collector(traces: 'ok' | 'hang'): Promise<MisbehavingCollector> {
  const started = await new MisbehavingCollector({ traces }).start();
  collectors.push(started);
  return started;
}

describe('tail sampling as the process ends', () => {
  it.each(['ok', 'hang'] as const)(
    'decides the waiting traces at shutdown within its budget, every span and local root counted once, when the traces backend answers "%s"',
    async (behaviour) => {
      const traces = await collector(behaviour);
      const metrics = await collector('ok');
      const ended = await runApp(
        { spans: 500, openTraces: 300, sampling: { ratio: 0 }, end: 'shutdown' },
        { traces: traces.endpoint, metrics: metrics.endpoint },
      );
      const settled = ended.events.find((e) => e.event === 'settled') as { ms: number };
      expect(settled, ended.stderr).toBeDefined();
      expect(settled.ms).toBeLessThan(BUDGET_MS + SETTLE_MARGIN_MS);
      expect(ended.code).toBe(0);
      // 500 ordinary roots dropped at their end; the 300 open ones decided early, 30 of them failing.
      const decided = (decision: string) =>
        metrics.sum('otelkit.sampling.traces', (a) => a['otelkit.sampling.decision'] === decision);
      expect(decided('dropped')).toBe(500);
      expect(decided('early')).toBe(300);
      const exported = (failed: boolean) =>
        metrics.sum(
          'otel.sdk.exporter.span.exported',
          (a) => (a['error.type'] !== undefined) === failed,
        );
      const droppedAtProcessor = metrics.sum(
        'otel.sdk.processor.span.processed',
        (a) => a['error.type'] !== undefined,
      );
      // The kept spans: two of each failing trace. Those sampled out are no failures.
      expect(exported(false) + exported(true) + droppedAtProcessor).toBe(60);
      expect(exported(false)).toBe(traces.delivered.traces);
      expect(traces.delivered.traces).toBe(behaviour === 'ok' ? 60 : 0);
    },
  );

  it('says what process.exit() before shutdown() loses, spans waiting for a decision included', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const ended = await runApp(
      { spans: 0, openTraces: 4, sampling: { ratio: 0 }, end: 'exit' },
      { traces: endpoint, metrics: endpoint },
    );
    expect(ended.code).toBe(0);
    expect(ended.stderr).toContain(
      'otelkit: the process exited before telemetry.shutdown(): 8 spans were not exported',
    );
  });
});
