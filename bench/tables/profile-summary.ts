// docs/guides/profiling.md: the JSON summary of `otelkit profile`, shortened, as
// the reference service's run as configured wrote it (bench/results/profile-demo.json).
import type { LoadResults } from '../../tools/bench-docs.ts';

interface ProfileDemoResults {
  runs: {
    telemetryPercent: number;
    groups: { group: string; percent: number }[];
    top: { function: string; url: string; group: string; selfPercent: number }[];
    requestsPerSecond: number;
    cpuMicrosPerRequest: number;
    profilePath: string;
  }[];
}

/** The first run's summary with two groups and one top function, and the rest elided. */
export default function render(load: LoadResults): string {
  const run = (load('profile-demo') as ProfileDemoResults).runs[0]!;
  const json = (value: unknown) => JSON.stringify(value);
  const top = run.top[0]!;
  return [
    '```json',
    '{',
    `  "telemetryPercent": ${run.telemetryPercent},`,
    `  "groups": [${run.groups.slice(0, 2).map(json).join(', ')}, …],`,
    `  "top": [${json({ ...top, url: shortUrl(top.url) })}, …],`,
    `  "requestsPerSecond": ${run.requestsPerSecond},`,
    `  "cpuMicrosPerRequest": ${run.cpuMicrosPerRequest},`,
    `  "profilePath": ${json(run.profilePath.split('/').at(-1))}`,
    '}',
    '```',
  ].join('\n');
}

/** `file:///…/node_modules/pino/lib/tools.js`, `file:///…/src/app.ts`; others as they are. */
function shortUrl(url: string): string {
  if (!url.startsWith('file:')) return url;
  const installed = url.lastIndexOf('/node_modules/');
  if (installed !== -1) return `file:///…${url.slice(installed)}`;
  return `file:///…/${url.split('/').slice(-2).join('/')}`;
}
