import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTraceBatch, renewTraceIds, shiftTimes, type TraceBatch } from './payload.ts';
import { startServerProcess } from './server-process.ts';
import { percentile, round } from './stats.ts';

/** Options of {@link runIngestBenchmark}. */
export interface IngestBenchmarkOptions {
  /** How long to send, in seconds. */
  durationSeconds: number;
  /** Requests in flight at once (several exporters, or one exporter's concurrent exports). */
  concurrency: number;
  /** Spans per OTLP request. */
  batchSize: number;
}

const templates = 32; // more than `concurrency`: a buffer is never rewritten while in flight

function post(agent: Agent, url: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/traces`, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends OTLP/protobuf batches of `batchSize` realistic spans (ten attributes, some events and
 * links, eight spans per trace, fresh trace ids per batch) to a viewer process storing them in a
 * SQLite file with the default retention (1,000,000 spans), for `durationSeconds`.
 */
export async function runIngestBenchmark(options: IngestBenchmarkOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-viewer-bench-'));
  const dbPath = join(dir, 'viewer.db');
  const server = await startServerProcess(['--db', dbPath]);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const services = ['checkout', 'users', 'billing', 'search'];
  const batches: TraceBatch[] = Array.from({ length: templates }, (_, i) =>
    buildTraceBatch({
      spans: options.batchSize,
      spansPerTrace: 8,
      startMs: Date.now(),
      service: services[i % 4],
    }),
  );
  const loadBefore = loadavg()[0]!;
  const latencies: number[] = [];
  const windows: { second: number; spans: number; rssMb: number }[] = [];
  let sequence = 0;
  let failures = 0;
  let spansInWindow = 0;
  const started = performance.now();
  const deadline = started + options.durationSeconds * 1000;
  const sampler = setInterval(() => {
    windows.push({
      second: Math.round((performance.now() - started) / 1000),
      spans: spansInWindow,
      rssMb: round(server.memory().rssMb, 1),
    });
    spansInWindow = 0;
  }, 1000);

  const worker = async () => {
    while (performance.now() < deadline) {
      const seq = sequence++;
      const batch = batches[seq % templates]!;
      renewTraceIds(batch, seq);
      shiftTimes(batch, BigInt(Math.round(performance.now() - started)) * 1_000_000n);
      const sent = performance.now();
      const status = await post(agent, server.url, batch.body);
      latencies.push(performance.now() - sent);
      if (status === 200) spansInWindow += options.batchSize;
      else failures++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const memory = server.memory();
  const stored = (await (await fetch(`${server.url}/api/traces?limit=1`)).json()) as {
    traces: unknown[];
  };
  await server.stop();
  agent.destroy();
  const dbMb = statSync(dbPath).size / 1e6;
  rmSync(dir, { recursive: true, force: true });

  const batchesSent = latencies.length - failures;
  const sorted = [...latencies].sort((a, b) => a - b);
  const perSecond = windows.slice(1).map((w) => w.spans); // the first second includes warm-up
  return {
    description:
      'OTLP/protobuf batches of 512 spans (eight per trace over two services, one in fifty failing) into otelkit-viewer: SQLite file, WAL, default retention of 1,000,000 spans',
    // Anything else running on the machine shows in the load average (this run adds about 1.5).
    loadAverageDuring: { before: round(loadBefore), after: round(loadavg()[0]!) },
    options: { ...options, spansPerTrace: 8, attributesPerSpan: 10 },
    durationS: round(elapsedS, 1),
    batches: batchesSent,
    failures,
    spans: batchesSent * options.batchSize,
    spansPerSecond: Math.round((batchesSent * options.batchSize) / elapsedS),
    slowestSecondSpans: perSecond.length ? Math.min(...perSecond) : 0,
    msPerBatch: round((elapsedS * 1000) / Math.max(batchesSent, 1)),
    requestLatencyMs: {
      median: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? 0),
    },
    serverRssMb: { final: round(memory.rssMb, 1), peak: round(memory.peakRssMb, 1) },
    databaseMb: round(dbMb, 1),
    listAnswered: stored.traces.length === 1,
    perSecond: windows,
  };
}
