// packages/viewer/README.md: how long the API waits while a large export is stored
// (bench/results/viewer-ingest-stall.json, written by bench/viewer/run.ts).
import type { LoadResults } from '../../tools/bench-docs.ts';

interface StallResults {
  options: { rounds: number; spans: number };
  longestWaitMs: number;
  idleLongestWaitMs: number;
  medianExportMs: number;
  cpus: number;
  loadAverage1m: number;
  rounds: { exporting: { p99Ms: number }[]; idle: { p99Ms: number }[] };
  goals: { target: string; met: boolean }[];
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * One line: the longest wait of the API during the exports and the 99th percentile of the
 * waits, each against the same without.
 */
export default function render(load: LoadResults): string {
  const r = load('viewer-ingest-stall') as StallResults;
  const goal = r.goals[0]!;
  const p99 = (arm: { p99Ms: number }[]) => Math.max(...arm.map((round) => round.p99Ms));
  return [
    '| while an export is stored | longest API wait | without an export | p99 of the waits, worst round | without an export | goal |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    `| ${count(r.options.spans)} spans in one OTLP/protobuf request (as traces of 8 spans, or one trace, after one of each untimed), stored in ${count(r.medianExportMs)} ms (median of ${r.options.rounds}) | ${r.longestWaitMs} ms | ${r.idleLongestWaitMs} ms | ${p99(r.rounds.exporting)} ms | ${p99(r.rounds.idle)} ms | ${goal.target}: ${goal.met ? 'met' : 'NOT met'} |`,
    '',
    `(${r.cpus} CPUs, the client on the same machine, load average ${r.loadAverage1m} after the run.)`,
  ].join('\n');
}
