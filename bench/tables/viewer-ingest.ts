// packages/viewer/README.md: the ingest rate of otelkit-viewer
// (bench/results/viewer-ingest.json, written by bench/viewer/run.ts).
import type { LoadResults } from '../../tools/bench-docs.ts';

interface IngestResults {
  options: { durationSeconds: number; concurrency: number; batchSize: number };
  spansPerSecond: number;
  slowestSecondSpans: number;
  msPerBatch: number;
  failures: number;
  serverRssMb: { peak: number };
  cpus: number;
  loadAverage1m: number;
  goals: { target: string; met: boolean }[];
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** One line: spans per second over the run, its slowest second, memory, and the goal. */
export default function render(load: LoadResults): string {
  const r = load('viewer-ingest') as IngestResults;
  const goal = r.goals[0]!;
  return [
    '| ingest | measured | goal |',
    '| --- | --- | --- |',
    `| OTLP/protobuf, batches of ${r.options.batchSize} spans, ${r.options.concurrency} at a time, ${r.options.durationSeconds} s into a SQLite file | ${count(r.spansPerSecond)} spans/s (${r.msPerBatch} ms per batch; slowest second ${count(r.slowestSecondSpans)}; ${r.failures} failures), peak RSS ${Math.round(r.serverRssMb.peak)} MB | ${goal.target} spans/s: ${goal.met ? 'met' : 'NOT met'} |`,
    '',
    `(${r.cpus} CPUs, the load generator on the same machine, load average ${r.loadAverage1m} while it ran.)`,
  ].join('\n');
}
