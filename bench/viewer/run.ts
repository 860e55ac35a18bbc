import { parseArgs } from 'node:util';
import { type Goal, writeResults } from '../lib/results.ts';
import { runIngestBenchmark } from './ingest.ts';
import { goalMs, runQueryBenchmark } from './query.ts';
import { runStallBenchmark } from './stall.ts';

// npm run bench:viewer -w otelkit-viewer [-- --duration 60 --concurrency 4 --only ingest|stall|query]
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.VIEWER_BENCH_SECONDS ?? '60' },
    concurrency: { type: 'string', default: '4' },
    spans: { type: 'string', default: '1000000' },
    logs: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '20' },
    only: { type: 'string' },
    stallRounds: { type: 'string', default: '6' },
  },
});

const ingestGoal = 50_000;
const stallGoalMs = 100;

if (values.only === undefined || values.only === 'ingest') {
  const result = await runIngestBenchmark({
    durationSeconds: Number(values.duration),
    concurrency: Number(values.concurrency),
    batchSize: 512,
  });
  const goals: Goal[] = [
    {
      name: 'ingest: spans per second, OTLP/protobuf into a SQLite file',
      target: `≥ ${ingestGoal.toLocaleString('en-US')}`,
      value: result.spansPerSecond,
      met: result.spansPerSecond >= ingestGoal && result.failures === 0,
    },
  ];
  writeResults('viewer-ingest', { name: 'viewer-ingest', ...result }, goals);
  const { perSecond: _, ...summary } = result;
  console.log(JSON.stringify(summary, null, 2));
  console.log(
    `ingest: ${result.spansPerSecond} spans/s, ${result.msPerBatch} ms per batch of 512, peak RSS ${result.serverRssMb.peak} MB`,
  );
}

if (values.only === undefined || values.only === 'stall') {
  const result = await runStallBenchmark({ rounds: Number(values.stallRounds), spans: 100_000 });
  const goals: Goal[] = [
    {
      name: 'longest API wait while a 100,000-span export is stored',
      target: `≤ ${stallGoalMs} ms`,
      value: result.longestWaitMs,
      met: result.longestWaitMs <= stallGoalMs,
    },
  ];
  writeResults('viewer-ingest-stall', result, goals);
  console.log(
    `stall: longest API wait ${result.longestWaitMs} ms while exporting (${result.idleLongestWaitMs} ms without), export of 100,000 spans in ${result.medianExportMs} ms`,
  );
}

if (values.only === undefined || values.only === 'query') {
  const result = await runQueryBenchmark({
    spans: Number(values.spans),
    logs: Number(values.logs),
    runs: Number(values.runs),
  });
  const goals: Goal[] = result.routes.map((route) => ({
    name: `GET ${route.route}: p95 over ${route.filters} ${route.filters === 1 ? 'query' : 'queries'}`,
    target: `≤ ${goalMs} ms`,
    value: route.p95Ms,
    met: route.p95Ms <= goalMs,
  }));
  writeResults('viewer-query', result, goals);
  for (const query of result.queries) {
    console.log(
      `${query.route.padEnd(28)} ${query.name.padEnd(42)} median ${String(query.medianMs).padStart(7)} ms  p95 ${String(query.p95Ms).padStart(7)} ms  found ${query.found}`,
    );
  }
}
