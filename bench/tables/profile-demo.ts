// docs/performance.md: what telemetry costs the reference service, from
// `npm run profile` (otelkit profile --compare on the demo under the main job's load).
import type { LoadResults } from '../../tools/bench-docs.ts';

interface Summary {
  telemetryPercent: number;
  groups: { group: string; percent: number }[];
  top: { function: string; url: string; group: string; selfPercent: number }[];
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
}

interface ProfileDemoResults {
  node: string;
  date: string;
  cpus: number;
  loadAverage1m: number;
  seconds: number;
  warmupSeconds: number;
  concurrency: number;
  labels: string[];
  runs: Summary[];
}

const TOP = 8;

/** The side-by-side table of the three runs, and the top functions of the first. */
export default function render(load: LoadResults): string {
  const results = load('profile-demo') as ProfileDemoResults;
  const { runs, labels } = results;
  const disabled = runs.at(-1)!;
  const row = (name: string, cells: string[]) => `| ${name} | ${cells.join(' | ')} |`;
  const lines = [
    row('', labels),
    `| --- |${' ---: |'.repeat(labels.length)}`,
    row(
      'requests/s',
      runs.map((r) => integer(r.requestsPerSecond)),
    ),
    row(
      'CPU per request',
      runs.map((r) => `${integer(r.cpuMicrosPerRequest)} µs`),
    ),
    row(
      'CPU per request above SDK disabled',
      runs.map((r) =>
        r === disabled ? '—' : `${signed(r.cpuMicrosPerRequest - disabled.cpuMicrosPerRequest)} µs`,
      ),
    ),
    row(
      '**telemetry**, share of busy CPU',
      runs.map((r) => `**${r.telemetryPercent.toFixed(1)} %**`),
    ),
    row(
      '**telemetry**, per request',
      runs.map((r) => `≈ ${integer((r.telemetryPercent / 100) * r.cpuMicrosPerRequest)} µs`),
    ),
  ];
  for (const { group } of runs[0]!.groups) {
    lines.push(
      row(
        group,
        runs.map((r) => `${(r.groups.find((g) => g.group === group)?.percent ?? 0).toFixed(1)} %`),
      ),
    );
  }
  const top = runs[0]!.top
    .slice(0, TOP)
    .map(
      (f) => `| ${f.selfPercent.toFixed(1)} % | ${f.group} | \`${f.function}\` | ${where(f.url)} |`,
    );
  return [
    ...lines,
    '',
    `The users service under the main job's load mix (${results.concurrency} clients), ` +
      `${results.warmupSeconds} s of warm-up and then ${results.seconds} s profiled per run, exporting ` +
      `traces, metrics and logs to an in-memory otelkit-viewer; Node ${results.node}, ` +
      `${results.cpus} CPUs, ${results.date.slice(0, 10)}, load average ${results.loadAverage1m} ` +
      'from other work while it ran (absolute times drift with that load; shares hold better).',
    '',
    `Where the time goes ${labels[0]}, the top ${TOP} functions by self time:`,
    '',
    '| self | group | function | where |',
    '| ---: | --- | --- | --- |',
    ...top,
  ].join('\n');
}

function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${integer(Math.abs(value))}`;
}

/** `@opentelemetry/core/…/attributes.mjs`, `node:_http_server`, `(native)` */
function where(url: string): string {
  if (url === '') return '(native)';
  if (!url.startsWith('file:')) return `\`${url}\``;
  const path = decodeURIComponent(new URL(url).pathname);
  const installed = path.lastIndexOf('/node_modules/');
  if (installed !== -1) {
    const parts = path.slice(installed + '/node_modules/'.length).split('/');
    const name = parts[0]!.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    return `\`${name}\` ${parts.at(-1)}`;
  }
  const inRepo = /\/(packages|apps)\/.*$/.exec(path)?.[0];
  return `\`${inRepo?.slice(1) ?? path.split('/').at(-1)}\``;
}
