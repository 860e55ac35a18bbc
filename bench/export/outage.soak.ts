// The outage soak, run only on request (`npm run bench -- outage`): 10 minutes
// (`OUTAGE_SOAK_SECONDS`) of 2,000 spans/s × 20 attributes while the backend
// first hangs, then refuses connections; otelkit's processor and the official
// BatchSpanProcessor + OTLP/protobuf exporter side by side, each in its own
// process. Goals: otelkit's RSS grows at most 10 MB after the first minute,
// and every span is counted exactly once in its self-metrics.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeResults } from '../lib/results.ts';
import { startSpanSink } from './sink-process.ts';

const SECONDS = Number(process.env.OUTAGE_SOAK_SECONDS ?? 600);

interface ArmResult {
  arm: string;
  ended: number;
  rss: { second: number; mb: number; heapMb: number; buffersMb: number }[];
  counts: Record<string, Record<string, number>>;
  shutdownMs: number;
  shutdownError: string | undefined;
}

const sink = await startSpanSink();
await sink.mode('hang');

function runArm(arm: 'otelkit' | 'official'): Promise<ArmResult> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=otelkit-source',
      '--expose-gc',
      // A young generation of fixed size: V8 growing it under the allocation
      // rate of making spans (with or without export) is not export's memory.
      '--min-semi-space-size=16',
      '--max-semi-space-size=16',
      new URL('./outage-arm.ts', import.meta.url).pathname,
      arm,
      sink.url,
      String(SECONDS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  return once(child, 'exit').then(() => JSON.parse(output.trim().split('\n').at(-1)!) as ArmResult);
}

const arms = Promise.all([runArm('otelkit'), runArm('official')]);
await sleep((SECONDS / 2) * 1000);
await sink.mode('refuse');
const [ours, official] = await arms;
const received = (await sink.stats()).spans;
sink.stop();

/** RSS growth after the first minute: the highest sample after it, less the sample at one minute. */
function growthAfterFirstMinute(result: ArmResult): number {
  const atMinute = result.rss.find((sample) => sample.second >= 60) ?? result.rss[0]!;
  const later = result.rss.filter((sample) => sample.second > atMinute.second);
  return Math.max(0, ...later.map((sample) => sample.mb - atMinute.mb));
}

const sum = (counts: Record<string, number> | undefined) =>
  Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
const processed = ours.counts['otel.sdk.processor.span.processed'] ?? {};
const exported = ours.counts['otel.sdk.exporter.span.exported'] ?? {};
const exact =
  sum(processed) === ours.ended &&
  sum(exported) === (processed[''] ?? 0) &&
  (exported[''] ?? 0) === 0 &&
  received === 0;

const summary = (result: ArmResult) => ({
  ended: result.ended,
  rssStartMb: result.rss[0]?.mb,
  rssAtOneMinuteMb: result.rss.find((s) => s.second >= 60)?.mb,
  rssEndMb: result.rss.at(-1)?.mb,
  rssGrowthAfterFirstMinuteMb: growthAfterFirstMinute(result),
  counts: result.counts,
  shutdownMs: result.shutdownMs,
  shutdownError: result.shutdownError,
  rssMbEvery5s: result.rss.map((sample) => Math.round(sample.mb * 10) / 10),
  heapTotalMbEvery5s: result.rss.map((sample) => Math.round(sample.heapMb * 10) / 10),
  arrayBuffersMbEvery5s: result.rss.map((sample) => Math.round(sample.buffersMb * 10) / 10),
});
const results = { otelkit: summary(ours), official: summary(official) };
console.table(
  Object.entries(results).map(([arm, r]) => ({
    arm,
    'spans ended': r.ended,
    'RSS at 1 min, MB': r.rssAtOneMinuteMb?.toFixed(1),
    'RSS at end, MB': r.rssEndMb?.toFixed(1),
    'growth after 1 min, MB': r.rssGrowthAfterFirstMinuteMb.toFixed(1),
    'shutdown, ms': r.shutdownMs.toFixed(0),
  })),
);
console.log(JSON.stringify({ otelkit: ours.counts, official: official.counts }, null, 2));

const growth = results.otelkit.rssGrowthAfterFirstMinuteMb;
writeResults(
  'export-outage',
  {
    name: 'export-outage',
    seconds: SECONDS,
    spansPerSecond: 2000,
    attributes: 20,
    phases: ['hang', 'refuse'],
    ...results,
  },
  [
    {
      name: 'RSS growth after the first minute, MB',
      target: '≤ 10',
      value: growth,
      met: growth <= 10,
    },
    {
      name: 'spans counted exactly once (ended = processed; handed on = exported)',
      target: 'exact',
      value: exact ? 1 : 0,
      met: exact,
    },
  ],
);
