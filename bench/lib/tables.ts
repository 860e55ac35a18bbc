// Helpers for bench/tables/*.ts: read results files and format their figures
// the same way in every generated doc block.
import type { Comparison } from './compare.ts';
import type { Goal } from './results.ts';

/** Reads `bench/results/<name>.json` (the loader `tools/bench-docs.ts` passes to a table). */
export type LoadResults = (name: string) => unknown;

/** The fields every results file carries. */
export interface Results {
  readonly name: string;
  readonly node: string;
  readonly date: string;
  readonly cpus?: number;
  readonly loadAverage1m?: number;
  readonly goals?: readonly Goal[];
}

/** A results file written by `report()` in bench/lib/compare.ts. */
export interface ComparisonResults extends Results {
  readonly comparisons: readonly Comparison[];
}

/** The comparison titled `title` in `results`; throws naming both when it is missing. */
export function comparisonOf(results: ComparisonResults, title: string): Comparison {
  const found = results.comparisons.find((c) => c.title === title);
  if (!found) throw new Error(`bench/results/${results.name}.json has no comparison "${title}"`);
  return found;
}

/** `1.03×` */
export function times(value: number, digits = 2): string {
  return `${value.toFixed(digits)}×`;
}

/** `1,245 ns`, `29.4 ns`, `8.2 µs` */
export function duration(ns: number): string {
  if (ns >= 10_000) return `${(ns / 1000).toFixed(1)} µs`;
  if (ns >= 100) return `${Math.round(ns).toLocaleString('en-US')} ns`;
  return `${ns.toFixed(1)} ns`;
}

/** `≤ 1.05×`, or `—` without a goal. */
export function goalOf(c: Comparison): string {
  return c.goal === undefined ? '—' : `${c.atLeast ? '≥' : '≤'} ${times(c.goal)}`;
}

/** `yes`, `**no**`, or `—` without a goal. */
export function metOf(met: boolean | undefined): string {
  return met === undefined ? '—' : met ? 'yes' : '**no**';
}

/**
 * Where figures come from: `Node v24.21.0, 2 CPUs, 2026-11-25, load average
 * 1.4–3.0 from other work`, over one or more results files.
 */
export function machineOf(...results: readonly Results[]): string {
  const unique = (values: readonly (string | undefined)[]) =>
    [...new Set(values.filter((v) => v !== undefined))].join(' / ');
  const parts = [`Node ${unique(results.map((r) => r.node))}`];
  const cpus = unique(results.map((r) => r.cpus?.toString()));
  if (cpus) parts.push(`${cpus} CPUs`);
  const dates = results.map((r) => r.date.slice(0, 10)).sort();
  parts.push(dates[0] === dates.at(-1) ? dates[0]! : `${dates[0]} to ${dates.at(-1)}`);
  const loads = results.flatMap((r) => (r.loadAverage1m === undefined ? [] : [r.loadAverage1m]));
  if (loads.length > 0) {
    const low = Math.min(...loads).toFixed(1);
    const high = Math.max(...loads).toFixed(1);
    parts.push(`load average ${low === high ? low : `${low}–${high}`} from other work`);
  }
  return parts.join(', ');
}

/** A markdown table. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** One row of a comparison table: the comparison titled `title` in `results`, as `what` against `against`. */
export type ComparisonRow = readonly [
  results: ComparisonResults,
  title: string,
  what: string,
  against: string,
];

/** The comparisons side by side: times of both arms, the ratio and its goal. */
export function comparisonTable(rows: readonly ComparisonRow[]): string {
  return table(
    ['what', 'against', 'otelkit', 'baseline', 'ratio', 'goal', 'met'],
    rows.map(([results, title, what, against]) => {
      const c = comparisonOf(results, title);
      return [
        what,
        against,
        duration(c.candidateNsPerOp),
        duration(c.baselineNsPerOp),
        times(c.ratio),
        goalOf(c),
        metOf(c.met),
      ];
    }),
  );
}

/** A results file's goals as a table: goal, target, figure (to `digits` decimals) and met. */
export function goalTable(results: Results, digits: number): string {
  return table(
    ['goal', 'target', 'figure', 'met'],
    (results.goals ?? []).map((goal) => [
      goal.name,
      goal.target,
      Number(goal.value.toFixed(digits)).toString(),
      metOf(goal.met),
    ]),
  );
}
