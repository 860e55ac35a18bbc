// docs/guides/databases.md, "What it costs": the CPU a traced operation costs
// the caller, otelkit and the official instrumentations, from bench/results/db.json.
import { type LoadResults, machineOf, type Results, times } from '../lib/tables.ts';

interface ArmFigures {
  readonly name: string;
  readonly cpuUsPerCall: number;
  readonly cpuRatio: number;
}
interface Comparison {
  readonly title: string;
  readonly arms: readonly ArmFigures[];
  readonly rounds: number;
  readonly callsPerRound: number;
  readonly concurrency: number;
}
interface DbResults extends Results {
  readonly comparisons: readonly Comparison[];
}

/** The guide's cost table. */
export default function render(load: LoadResults): string {
  const results = load('db') as DbResults;
  const us = (value: number) => `${value.toFixed(1)} µs`;
  const rows = results.comparisons.map((c) => {
    const [untraced, ours, official] = c.arms;
    if (!untraced || !ours || !official)
      throw new Error(`bench/results/db.json: ${c.title} lacks an arm`);
    return `| ${c.title} | ${us(untraced.cpuUsPerCall)} | ${us(ours.cpuUsPerCall)} (${times(ours.cpuRatio)}) | ${us(official.cpuUsPerCall)} (${times(official.cpuRatio)}, \`${official.name}\`) |`;
  });
  const goals = (results.goals ?? []).map(
    (goal) =>
      `- ${goal.name}: ${times(goal.value)} (goal ${goal.target}, ${goal.met ? 'met' : '**missed**'})`,
  );
  const first = results.comparisons[0]!;
  return [
    '| operation | untraced | otelkit | official instrumentation |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...goals,
    '',
    `CPU of the calling process per operation, every span exported, ${first.concurrency} operations in flight;`,
    `the arms rotate every ${first.callsPerRound} operations over ${first.rounds} rounds; ${machineOf(results)}.`,
  ].join('\n');
}
