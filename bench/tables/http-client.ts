// docs/guides/http-and-logs.md, "Outgoing calls": what tracing an outgoing call
// costs the caller, from bench/results/http-client.json.
import { type LoadResults, machineOf, type Results, times } from '../lib/tables.ts';

interface ArmFigures {
  readonly name: string;
  readonly cpuUsPerCall: number;
  readonly cpuRatio: number;
}
interface ClientComparison {
  readonly title: string;
  readonly arms: readonly ArmFigures[];
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
  const arm = (title: string, name: string) => {
    const found = results.comparisons
      .find((c) => c.title === title)
      ?.arms.find((a) => a.name === name);
    if (!found) throw new Error(`bench/results/http-client.json has no ${title} arm "${name}"`);
    return found;
  };
  const plainFetch = arm('fetch', 'untraced');
  const fetchTraced = arm('fetch', 'otelkit');
  const official = arm('fetch', 'instrumentation-undici');
  const plainHttp = arm('http.request', 'untraced');
  const httpTraced = arm('http.request', 'otelkit');
  const goal = results.goals?.find((g) => g.name.startsWith('fetch'));
  const fetchComparison = results.comparisons.find((c) => c.title === 'fetch')!;
  const us = (value: number) => `${Math.round(value)} µs`;
  return [
    `A \`fetch\` to a loopback server used ${us(plainFetch.cpuUsPerCall)} of the calling process's CPU`,
    `untraced and ${us(fetchTraced.cpuUsPerCall)} traced: ${times(fetchTraced.cpuRatio)} (goal ${goal?.target ?? '—'},`,
    `${goal === undefined ? 'none' : goal.met ? 'met' : '**missed**'}); \`@opentelemetry/instrumentation-undici\` cost ${times(official.cpuRatio)}.`,
    `An \`http.request\` used ${us(plainHttp.cpuUsPerCall)} untraced and ${us(httpTraced.cpuUsPerCall)} traced`,
    `(${times(httpTraced.cpuRatio)}). Both include the duration metric and the export of every span; most of`,
    'the difference is the SDK creating and ending the span, and the trace headers.',
    `${fetchComparison.concurrency} calls in flight; the arms rotate every ${fetchComparison.callsPerRound} calls over`,
    `${fetchComparison.rounds} rounds; ${machineOf(results)}.`,
  ].join('\n');
}
