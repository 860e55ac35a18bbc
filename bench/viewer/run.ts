import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runIngestBenchmark } from './ingest.ts';
import { runQueryBenchmark } from './query.ts';

// npm run bench:viewer [-- --duration 60 --concurrency 4 --only ingest|query]
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.VIEWER_BENCH_SECONDS ?? '60' },
    concurrency: { type: 'string', default: '4' },
    spans: { type: 'string', default: '1000000' },
    only: { type: 'string' },
  },
});

const resultsDir = new URL('../results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
const save = (name: string, result: object) => {
  writeFileSync(new URL(`viewer-${name}.json`, resultsDir), `${JSON.stringify(result, null, 2)}\n`);
};

if (values.only !== 'query') {
  const result = await runIngestBenchmark({
    durationSeconds: Number(values.duration),
    concurrency: Number(values.concurrency),
    batchSize: 512,
  });
  save('ingest', result);
  const { perSecond: _, ...summary } = result;
  console.log(JSON.stringify(summary, null, 2));
  const goal = result.spansPerSecond >= 50_000 && result.failures === 0;
  console.log(
    `ingest: ${result.spansPerSecond} spans/s, ${result.msPerBatch} ms per batch of 512, peak RSS ${result.serverRssMb.peak} MB — goal ≥ 50,000 spans/s: ${goal ? 'met' : 'NOT met'}`,
  );
}

if (values.only !== 'ingest') {
  const result = await runQueryBenchmark({ spans: Number(values.spans) });
  save('query', result);
  console.log(JSON.stringify(result, null, 2));
  const goal = result.queries.every((q) => q.medianMs <= 50);
  console.log(
    `query: trace list ${result.queries[0]!.medianMs} ms, 1,000-span trace ${result.queries.find((q) => q.name === 'one 1,000-span trace')!.medianMs} ms (median) — goal ≤ 50 ms: ${goal ? 'met' : 'NOT met'}`,
  );
}
