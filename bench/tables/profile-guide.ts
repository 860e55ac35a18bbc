// docs/guides/profiling.md: the telemetry line of each `npm run profile` run, as
// `otelkit profile` prints it, from bench/results/profile-demo.json.
import type { LoadResults } from '../../tools/bench-docs.ts';

interface ProfileDemoResults {
  node: string;
  date: string;
  cpus: number;
  loadAverage1m: number;
  labels: string[];
  runs: { telemetryPercent: number; cpuMicrosPerRequest: number; requestsPerSecond: number }[];
}

/** One line per run: telemetry's share, its µs per request, CPU per request. */
export default function render(load: LoadResults): string {
  const results = load('profile-demo') as ProfileDemoResults;
  const width = Math.max(...results.labels.map((l) => l.length)) + 2;
  const lines = results.runs.map((run, i) => {
    const perRequest = (run.telemetryPercent / 100) * run.cpuMicrosPerRequest;
    return (
      `${results.labels[i]!.padEnd(width)}telemetry: ${run.telemetryPercent.toFixed(1)} % of busy CPU, ` +
      `≈ ${integer(perRequest)} µs per request (of ${integer(run.cpuMicrosPerRequest)} µs CPU per request)`
    );
  });
  return [
    '```',
    ...lines,
    '```',
    '',
    `(Node ${results.node}, ${results.cpus} CPUs, ${results.date.slice(0, 10)}, load average ` +
      `${results.loadAverage1m} from other work while it ran.)`,
  ].join('\n');
}

function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
