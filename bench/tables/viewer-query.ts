// packages/viewer/README.md: how fast every API route answers with a day of telemetry stored
// (bench/results/viewer-query.json, written by bench/viewer/run.ts).
import type { LoadResults } from '../../tools/bench-docs.ts';

interface QueryResults {
  stored: { spans: number; traces: number; logs: number; metricPoints: number };
  runs: number;
  cpus: number;
  loadAverage1m: number;
  routes: { route: string; filters: number; p95Ms: number }[];
  queries: { route: string; name: string; medianMs: number; p95Ms: number }[];
  goals: { name: string; target: string; value: number; met: boolean }[];
}

const count = (n: number) => n.toLocaleString('en-US');
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

/** A table of each route's p95 over its queries, with its slowest query and the goal. */
export default function render(load: LoadResults): string {
  const results = load('viewer-query') as QueryResults;
  const { stored } = results;
  const rows = results.routes.map((route) => {
    const queries = results.queries.filter((q) => q.route === route.route);
    const slowest = queries.reduce((a, b) => (b.p95Ms > a.p95Ms ? b : a));
    const goal = results.goals.find((g) => g.name.startsWith(`GET ${route.route}:`))!;
    return `| \`GET ${route.route}\` | ${route.filters} | ${ms(route.p95Ms)} | ${slowest.name} (${ms(slowest.p95Ms)}) | ${goal.target}: ${goal.met ? 'met' : 'NOT met'} |`;
  });
  return [
    `With ${count(stored.spans)} spans (${count(stored.traces)} traces), ${count(stored.logs)} log records and ${count(stored.metricPoints)} metric points stored, over HTTP, ${results.runs} runs of each query, the queries taking turns (${results.cpus} CPUs, load average ${results.loadAverage1m} while it ran):`,
    '',
    '| route | queries | p95 over its queries | slowest query (its p95) | goal |',
    '| --- | ---: | ---: | --- | --- |',
    ...rows,
  ].join('\n');
}
