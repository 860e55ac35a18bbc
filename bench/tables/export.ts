// docs/guides/export.md: the cost of exporting spans at 10,000 spans/s, otelkit's
// processor against the official batch processor + OTLP/protobuf exporter.
import {
  goalTable,
  type LoadResults,
  machineOf,
  type Results,
  table,
  times,
} from '../lib/tables.ts';

interface Arm {
  cpuUsPerSpan: number;
  mainThreadCpuUsPerSpan: number;
  exportCpuUsPerSpan: number;
  loopP99Ms: number;
  loopMaxMs: number;
  lost: number;
}

/** `bench/results/export.json`, as `bench/export/export.bench.ts` writes it. */
export interface ExportResults extends Results {
  spansPerSecond: number;
  seconds: number;
  rounds: number;
  arms: { off: Arm; official: Arm; otelkit: Arm };
  ratio: number;
  bytesPerSpan: number;
  maxQueueBytes: number;
  burst: { spans: number; lost: { official: number; otelkit: number } };
}

const us = (value: number) => `${value.toFixed(2)} µs`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The arms side by side, then the goals. */
export default function render(load: LoadResults): string {
  const r = load('export') as ExportResults;
  const arms: [string, Arm][] = [
    ['no export (spans made, not exported)', r.arms.off],
    ['official `BatchSpanProcessor` + OTLP/protobuf exporter', r.arms.official],
    ['otelkit `OtlpSpanProcessor`', r.arms.otelkit],
  ];
  const rows = arms.map(([name, arm]) => [
    name,
    arm === r.arms.off ? '—' : us(arm.exportCpuUsPerSpan),
    us(arm.mainThreadCpuUsPerSpan),
    ms(arm.loopP99Ms),
    ms(arm.loopMaxMs),
    String(arm.lost),
  ]);
  return [
    table(
      [
        `at ${r.spansPerSecond.toLocaleString('en')} spans/s`,
        'export CPU per span',
        'main-thread CPU per span (all)',
        'event-loop p99',
        'event-loop max',
        'spans lost',
      ],
      rows,
    ),
    '',
    `otelkit's export CPU is **${times(r.ratio)}** the official path's (median of the per-round ratios). ` +
      `A burst of ${r.burst.spans.toLocaleString('en')} spans ended in one tick: the official path lost ${r.burst.lost.official}, otelkit ${r.burst.lost.otelkit}.`,
    '',
    goalTable(r, 3),
    '',
    `${r.rounds} rounds of ${r.seconds} s per arm, arms alternating; ${machineOf(r)}.`,
  ].join('\n');
}
