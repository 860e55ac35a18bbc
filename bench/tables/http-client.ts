// docs/guides/http-and-logs.md, "Outgoing calls": what tracing an outgoing call
// costs the caller, from bench/results/http-client.json.
import { type LoadResults, machineOf, type Results, times } from '../lib/tables.ts';

interface ArmFigures {
  readonly cpuUsPerCall: number;
}
interface ClientComparison {
  readonly title: string;
  readonly baseline: ArmFigures;
  readonly candidate: ArmFigures;
  readonly cpuRatio: number;
  readonly rounds: number;
  readonly callsPerRound: number;
  readonly concurrency: number;
}
interface ClientResults extends Results {
  readonly comparisons: readonly ClientComparison[];
}

/** The guide's cost paragraph for outgoing calls. */
export default function render(load: LoadResults): string {
  const results = load('http-client') as ClientResults;
  const of = (title: string) => {
    const found = results.comparisons.find((c) => c.title === title);
    if (!found) throw new Error(`bench/results/http-client.json has no comparison "${title}"`);
    return found;
  };
  const fetchCall = of('fetch');
  const httpCall = of('http.request');
  const goal = results.goals?.find((g) => g.name.startsWith('fetch'));
  const us = (value: number) => `${Math.round(value)} µs`;
  return [
    `A \`fetch\` to a loopback server used ${us(fetchCall.baseline.cpuUsPerCall)} of the calling`,
    `process's CPU untraced and ${us(fetchCall.candidate.cpuUsPerCall)} traced: ${times(fetchCall.cpuRatio)}`,
    `(goal ${goal?.target ?? '—'}${goal === undefined ? '' : goal.met ? ', met' : ', **missed**'}); an \`http.request\` used`,
    `${us(httpCall.baseline.cpuUsPerCall)} and ${us(httpCall.candidate.cpuUsPerCall)} (${times(httpCall.cpuRatio)}).`,
    'Most of the difference is the SDK creating, ending and exporting the span. Both include the',
    `duration metric and the export of every span; ${fetchCall.concurrency} calls in flight, the arms alternating`,
    `every ${fetchCall.callsPerRound} calls over ${fetchCall.rounds} rounds (${machineOf(results)}).`,
  ].join('\n');
}
