import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeTraceRequest } from '../../packages/viewer/test/large-request.ts';
import { startServerProcess } from './server-process.ts';
import { percentile, round } from './stats.ts';

/** Options of {@link runStallBenchmark}. */
export interface StallBenchmarkOptions {
  /** Rounds of each arm (idle, then an export), alternated. */
  rounds: number;
  /** Spans in each export. */
  spans: number;
}

interface Waits {
  answers: number;
  longestMs: number;
  p99Ms: number;
}

/** Asks the API for its services again and again until `until` settles; the waits. */
async function queryUntil(url: string, until: Promise<unknown>): Promise<Waits> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const waits: number[] = [];
  while (!done) {
    const asked = performance.now();
    await (await fetch(`${url}/api/services`)).json();
    if (!done) waits.push(performance.now() - asked);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const sorted = waits.sort((a, b) => a - b);
  return {
    answers: sorted.length,
    longestMs: round(sorted.at(-1) ?? 0),
    p99Ms: round(percentile(sorted, 99)),
  };
}

/**
 * How long the API waits while one large export is stored: a viewer process receives exports
 * of `spans` spans (as many traces of 8 spans, then as one trace, in turn) while a client asks
 * it for its services without pause; the baseline arm asks as long without an export. Arms
 * alternate, round after round, after one untimed export of each shape; every export's spans
 * are checked to have arrived.
 */
export async function runStallBenchmark(options: StallBenchmarkOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-viewer-stall-'));
  const server = await startServerProcess(['--db', join(dir, 'viewer.db'), '--max-body-mib', '64']);
  const idle: Waits[] = [];
  const exporting: (Waits & { spansPerTrace: number; exportMs: number; stored: number })[] = [];
  const loadBefore = loadavg()[0]!;
  const stats = async () =>
    ((await (await fetch(`${server.url}/api/stats`)).json()) as { spans: number }).spans;
  try {
    // One export of each shape first, not timed: a fresh process compiles its ingest path on
    // the first large export, which a viewer that has been receiving telemetry has done.
    for (const [i, spansPerTrace] of [8, options.spans].entries()) {
      const firstTraceId = 1_000_000_000 + i * options.spans;
      const body = largeTraceRequest(
        options.spans,
        spansPerTrace,
        Date.now() - 3_600_000,
        firstTraceId,
      );
      const response = await fetch(`${server.url}/v1/traces`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-protobuf' },
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`warm-up export answered ${response.status}`);
    }
    if ((await stats()) !== 2 * options.spans)
      throw new Error('the warm-up exports were not stored');
    for (let round = 0; round < options.rounds; round++) {
      const spansPerTrace = round % 2 === 0 ? 8 : options.spans;
      const body = largeTraceRequest(
        options.spans,
        spansPerTrace,
        Date.now() - 3_600_000,
        1 + round * options.spans,
      );
      const before = await stats();
      const started = performance.now();
      const sent = fetch(`${server.url}/v1/traces`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-protobuf' },
        body,
      }).then(async (response) => {
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`export answered ${response.status}`);
        return performance.now() - started;
      });
      const waits = await queryUntil(server.url, sent);
      const exportMs = await sent;
      const stored = (await stats()) - before;
      if (stored !== options.spans) throw new Error(`${stored} of ${options.spans} spans stored`);
      exporting.push({ ...waits, spansPerTrace, exportMs: round2(exportMs), stored });
      // The baseline: as long, without an export.
      idle.push(await queryUntil(server.url, new Promise((r) => setTimeout(r, exportMs))));
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const longest = (arm: Waits[]) => Math.max(...arm.map((w) => w.longestMs));
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  return {
    name: 'viewer-ingest-stall',
    description: `The longest wait of the API while an export of ${options.spans.toLocaleString('en-US')} spans (as traces of 8 spans, or as one trace, in turn) is stored by a viewer process that has stored one export of each shape, against the same querying without an export`,
    loadAverageDuring: { before: round(loadBefore), after: round(loadavg()[0]!) },
    options,
    longestWaitMs: round(longest(exporting)),
    idleLongestWaitMs: round(longest(idle)),
    medianExportMs: round(median(exporting.map((e) => e.exportMs))),
    rounds: { exporting, idle },
  };
}

const round2 = (value: number) => round(value, 1);
