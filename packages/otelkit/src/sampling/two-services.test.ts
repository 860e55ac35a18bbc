import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpTraceSink, startOtlpTraceSink } from '../test-support/otlp-trace-sink.ts';
import { SOURCE_NODE_FLAGS } from '../test-support/source-node.ts';
import { ConsistentRatio } from './consistent-ratio.ts';

// Two services in their own processes, `front` calling `back` with fetch,
// both tail sampling at the same ratio and exporting to one real OTLP sink.
const RATIO = 0.25;
const REQUESTS = 160;
const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const app = fileURLToPath(new URL('../test-support/sampling-service.ts', import.meta.url));

type Kind = 'ok' | 'error' | 'slow' | 'fail-after';
interface Service {
  child: ChildProcess;
  url: string;
  settled: Promise<unknown>;
}

function startService(name: string, endpoint: string, next?: string): Promise<Service> {
  const plan = { name, endpoint, next, ratio: RATIO, keepSlowerThanMs: 600 };
  const child = spawn(process.execPath, [...SOURCE_NODE_FLAGS, app, JSON.stringify(plan)], {
    cwd: repositoryRoot,
    env: { ...process.env, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const events = createInterface({ input: child.stdout! });
  let settle!: (value: unknown) => void;
  const settled = new Promise((resolve) => {
    settle = resolve;
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
    events.on('line', (line) => {
      const event = JSON.parse(line) as { event: string; url?: string };
      if (event.event === 'listening') resolve({ child, url: event.url!, settled });
      if (event.event === 'settled') settle(event);
    });
  });
}

/** The kinds of the requests, fixed: 10 % failing downstream, 10 % slow, 5 % failing upstream after. */
function kindOf(i: number): Kind {
  if (i % 10 === 3) return 'error';
  if (i % 10 === 7) return 'slow';
  if (i % 20 === 5) return 'fail-after';
  return 'ok';
}

const ratio = new ConsistentRatio(RATIO);
let sink: OtlpTraceSink;
const requests: { traceId: string; kind: Kind; status: number }[] = [];

beforeAll(async () => {
  sink = await startOtlpTraceSink();
  const back = await startService('back', sink.url);
  const front = await startService('front', sink.url, back.url);
  try {
    for (let i = 0; i < REQUESTS; i += 16) {
      await Promise.all(
        Array.from({ length: 16 }, async (_, j) => {
          const kind = kindOf(i + j);
          const response = await fetch(`${front.url}/work?kind=${kind}`);
          await response.text();
          requests.push({
            traceId: response.headers.get('x-trace-id')!,
            kind,
            status: response.status,
          });
        }),
      );
    }
  } finally {
    // Each service waits for its late spans, then shuts down.
    for (const service of [front, back]) {
      service.child.stdin!.end('shut down\n');
      await service.settled;
      await once(service.child, 'exit').catch(() => {});
    }
  }
}, 60_000);

afterAll(async () => {
  await sink?.close();
});

/** The names of the spans `service` sent for `traceId`. */
function sent(service: string, traceId: string): string[] {
  return sink.spans
    .filter((span) => span.traceId === traceId && span.resource['service.name'] === service)
    .map((span) => span.name)
    .sort();
}

const FRONT = ['GET', 'GET /work', 'late audit', 'lookup'];
const BACK = ['GET /work', 'late audit', 'lookup'];

describe('tail sampling across two services', () => {
  it('answered every request as asked, each in its own trace', () => {
    expect(requests).toHaveLength(REQUESTS);
    expect(new Set(requests.map((r) => r.traceId)).size).toBe(REQUESTS);
    for (const { kind, status } of requests) {
      expect(status).toBe(kind === 'error' ? 502 : kind === 'fail-after' ? 500 : 200);
    }
  });

  it('sends every failing and every slow trace complete from both services', () => {
    const kept = requests.filter((r) => r.kind === 'error' || r.kind === 'slow');
    expect(kept).toHaveLength(32);
    for (const { traceId } of kept) {
      expect(sent('front', traceId)).toEqual(FRONT);
      expect(sent('back', traceId)).toEqual(BACK);
    }
  });

  it('keeps the same ordinary traces in both services: those the ratio keeps by trace id', () => {
    const ordinary = requests.filter((r) => r.kind === 'ok');
    const expected = ordinary
      .filter((r) => ratio.keeps(r.traceId))
      .map((r) => r.traceId)
      .sort();
    const keptBy = (service: string) =>
      ordinary
        .filter((r) => sent(service, r.traceId).length > 0)
        .map((r) => r.traceId)
        .sort();
    expect(expected.length).toBeGreaterThan(10);
    expect(keptBy('front')).toEqual(expected);
    expect(keptBy('back')).toEqual(expected);
    for (const traceId of expected) {
      expect(sent('front', traceId)).toEqual(FRONT);
      expect(sent('back', traceId)).toEqual(BACK);
    }
  });

  it('sends no span of a dropped trace, late spans included', () => {
    const dropped = requests.filter((r) => r.kind === 'ok' && !ratio.keeps(r.traceId));
    expect(dropped.length).toBeGreaterThan(50);
    for (const { traceId } of dropped) {
      expect(sink.spans.filter((span) => span.traceId === traceId)).toEqual([]);
    }
  });

  it('keeps a trace that failed upstream after the downstream answered in the caller; the downstream part follows its ratio', () => {
    for (const { traceId } of requests.filter((r) => r.kind === 'fail-after')) {
      expect(sent('front', traceId)).toEqual(FRONT);
      expect(sent('back', traceId)).toEqual(ratio.keeps(traceId) ? BACK : []);
    }
  });

  it('marks each kept local root with the reason it was kept', () => {
    const reasons = { error: 'error', slow: 'slow', 'fail-after': 'error' } as const;
    for (const { traceId, kind } of requests) {
      const roots = sink.spans.filter((s) => s.traceId === traceId && s.name === 'GET /work');
      for (const root of roots) {
        const expected =
          kind === 'ok' || (kind === 'fail-after' && root.resource['service.name'] === 'back')
            ? 'ratio'
            : reasons[kind];
        expect(root.attributes['otelkit.sampling.reason']).toBe(expected);
      }
    }
  });
});
