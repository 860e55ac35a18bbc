import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeExport } from '../../packages/viewer/src/receiver/decode-export.ts';
import type { ExportBatch, SpanRecord } from '../../packages/viewer/src/records.ts';
import { Store } from '../../packages/viewer/src/store/store.ts';
import { buildTraceBatch, renewTraceIds, shiftTimes } from './payload.ts';
import { startServerProcess } from './server-process.ts';
import { round, summarize } from './stats.ts';

/** Options of {@link runQueryBenchmark}. */
export interface QueryBenchmarkOptions {
  /** Spans to store before querying. */
  spans: number;
}

const runs = 30;
const warmups = 3;
const week = 7 * 24 * 60 * 60 * 1000;

const spanBatch = (records: SpanRecord[]): ExportBatch => ({
  signal: 'traces',
  accepted: { records, rejected: 0, errorMessage: '' },
});

/**
 * Fills a SQLite file with `spans` spans through the receiver's decoder and the store (as ingest
 * would, minus HTTP), including one 1,000-span trace that arrived in two batches far apart, then
 * times the API over HTTP against a viewer process.
 */
export async function runQueryBenchmark(options: QueryBenchmarkOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-viewer-query-'));
  const dbPath = join(dir, 'viewer.db');
  const fillStarted = performance.now();
  const services = ['checkout', 'users', 'billing', 'search'];
  const templates = Array.from({ length: 16 }, (_, i) =>
    buildTraceBatch({
      spans: 512,
      spansPerTrace: 8,
      startMs: Date.now() - week / 2,
      service: services[i % 4],
      extraRootMs: i % 8 === 0 ? 2_000 : 0,
    }),
  );
  const bigTrace = decodeExport(
    'traces',
    'protobuf',
    buildTraceBatch({
      spans: 1_000,
      spansPerTrace: 1_000,
      startMs: Date.now(),
      service: 'checkout',
    }).body,
  );
  if (bigTrace.signal !== 'traces') throw new Error('unexpected signal');
  const bigRecords = bigTrace.accepted.records;
  const bigTraceId = bigRecords[0]!.traceId;

  const regularBatches = Math.ceil((options.spans - bigRecords.length) / 512);
  const store = Store.open({
    path: dbPath,
    maxSpans: regularBatches * 512 + 1_000,
    maxAgeMs: week,
  });
  for (let seq = 0; seq < regularBatches; seq++) {
    const template = templates[seq % templates.length]!;
    renewTraceIds(template, seq);
    // One batch every 50 ms of simulated time (10,000 spans/s).
    shiftTimes(template, BigInt(seq) * 50_000_000n);
    store.write([decodeExport('traces', 'protobuf', template.body)]);
    // The big trace's spans arrive in two exports: one early, one late.
    if (seq === 10) store.write([spanBatch(bigRecords.slice(0, 512))]);
    if (seq === regularBatches - 10) store.write([spanBatch(bigRecords.slice(512))]);
  }
  const stored = store.spanCount;
  store.close();
  const fillS = (performance.now() - fillStarted) / 1000;

  const server = await startServerProcess(['--db', dbPath, '--max-spans', String(stored)]);
  const time = async (name: string, path: string) => {
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < warmups + runs; i++) {
      const started = performance.now();
      const response = await fetch(`${server.url}${path}`);
      const body = await response.arrayBuffer();
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      if (i >= warmups) ms.push(performance.now() - started);
      bytes = body.byteLength;
    }
    return { name, path, ...summarize(ms), responseKb: round(bytes / 1024, 1) };
  };
  const queries = [
    await time('trace list', '/api/traces?limit=20'),
    await time('trace list as the page asks (100)', '/api/traces?limit=100'),
    await time('trace list, one service', '/api/traces?service=billing&limit=20'),
    await time('trace list, errors only', '/api/traces?status=error&limit=20'),
    await time('trace list, slowest first', '/api/traces?sort=slowest&limit=20'),
    await time(
      'trace list, service + operation',
      '/api/traces?service=search&operation=db.query%203&limit=20',
    ),
    await time('trace list, min duration', '/api/traces?minDurationMs=1500&limit=20'),
    await time('one 1,000-span trace', `/api/traces/${bigTraceId}`),
    await time('services', '/api/services'),
  ];
  const trace = (await (await fetch(`${server.url}/api/traces/${bigTraceId}`)).json()) as {
    spans: unknown[];
  };
  const memory = server.memory();
  await server.stop();
  const dbMb = statSync(dbPath).size / 1e6;
  rmSync(dir, { recursive: true, force: true });
  return {
    benchmark: 'viewer-query',
    description:
      'API response times over HTTP (median of 30 after 3 warm-ups) with the store filled',
    loadAverage1m: round(loadavg()[0]!),
    spansStored: stored,
    bigTraceSpans: trace.spans.length,
    fillSeconds: round(fillS, 1),
    databaseMb: round(dbMb, 1),
    serverRssMb: round(memory.peakRssMb, 1),
    queries,
  };
}
