import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProfileAnalysis } from './analyze-profiles.ts';
import { failedShare, type LoadResult } from './drive-load.ts';
import { GROUPS, TELEMETRY_GROUPS } from './module-group.ts';
import type { ProfileSummary } from './profile-summary.ts';

/** One profiled run, as the report shows it. */
export interface RunReport {
  /** `as configured`, `sampled 10 %`, `SDK disabled`. */
  label: string;
  summary: ProfileSummary;
  analysis: ProfileAnalysis;
  requests: number;
  /** CPU time of the profiled processes: from the OS, or (when they could not say) the busy samples. */
  cpuMicros: number;
  cpuFromProcess: boolean;
  /** What the load generator saw, when the load was ours. */
  load: LoadResult | undefined;
  /** Profiles of the service's other processes and threads. */
  otherProfilePaths: string[];
}

/** The report of one run: groups, top functions, the telemetry line. */
export function formatReport(run: RunReport, command: string[]): string {
  const { summary, analysis } = run;
  const perRequest = (micros: number) => perRequestOf(run, micros);
  const lines = [
    `otelkit profile: ${command.join(' ')}${run.label === '' ? '' : ` (${run.label})`}`,
    ...failureWarning(run.load),
    `  ${seconds(analysis.wallMicros)} profiled in ${plural(analysis.threads, 'thread')}; ` +
      (run.requests > 0
        ? `${number(summary.requestsPerSecond)} requests/s; ${micros(summary.cpuMicrosPerRequest)} CPU per request`
        : 'no requests counted'),
    `  CPU time ${seconds(run.cpuMicros)} (${run.cpuFromProcess ? 'user + system, as the OS counts it' : 'the busy samples'}), split by the busy samples:`,
    `  ${seconds(analysis.busyMicros)} sampled busy; not counted: idle ${seconds(analysis.idleMicros)}, ` +
      `(program) ${seconds(analysis.programMicros)} (native time V8 cannot tie to any JavaScript)`,
    '',
    `  ${'group'.padEnd(28)} ${'busy CPU'.padStart(9)} ${'µs/request'.padStart(11)}`,
  ];
  for (const { group, percent } of summary.groups) {
    const micros = analysis.groupMicros.get(group as (typeof GROUPS)[number]) ?? 0;
    const row = `  ${group.padEnd(28)} ${`${percent.toFixed(1)} %`.padStart(9)} ${fixed(perRequest(micros)).padStart(11)}`;
    lines.push(group === 'other' && percent > 0 ? `${row}   ${otherParts(analysis)}` : row);
  }
  const unplaced = analysis.otherMicros.get('unplaced') ?? 0;
  lines.push(
    `  frames no module could be found for (counted as other): ${percentOf(unplaced, analysis.busyMicros)}`,
    '',
    `  top ${summary.top.length} functions by self time`,
  );
  lines.push(`  ${'self'.padStart(7)}  ${'group'.padEnd(27)} ${'function'.padEnd(32)} where`);
  analysis.functions.slice(0, summary.top.length).forEach((f, i) => {
    const self = `${summary.top[i]!.selfPercent.toFixed(1)} %`;
    lines.push(
      `  ${self.padStart(7)}  ${f.group.padEnd(27)} ${clip(f.function, 32).padEnd(32)} ${where(f.url, f.lineNumber)}`,
    );
  });
  lines.push('', `  ${telemetryLine(run)}`);
  if (run.load) {
    const { requests, errors, non2xx } = run.load;
    lines.push(
      `  load: ${number(requests)} responses, ${number(non2xx)} not 2xx, ${number(errors)} errors`,
    );
  }
  lines.push(
    `  profile: ${summary.profilePath} (Chrome DevTools → Performance → Load profile, or speedscope)`,
  );
  for (const path of run.otherProfilePaths) lines.push(`           ${path}`);
  return lines.join('\n');
}

/** Failed requests cost something else than served ones: above 1 %, the report says so first. */
const FAILURE_WARNING_SHARE = 0.01;

/** The warning line over a report whose load failed more than 1 % of the time; none otherwise. */
export function failureWarning(load: LoadResult | undefined): string[] {
  if (load === undefined) return [];
  const share = failedShare(load);
  if (share <= FAILURE_WARNING_SHARE) return [];
  return [
    `  warning: ${(100 * share).toFixed(1)} % of requests failed ` +
      `(${number(load.non2xx)} not 2xx, ${number(load.errors)} errors; the first: ${load.firstError}): ` +
      'the figures below are those of a failing service',
  ];
}

/** `telemetry: X % of busy CPU, ≈ Y µs per request` */
export function telemetryLine(run: RunReport): string {
  const perRequest = perRequestOf(run, telemetryMicros(run));
  const micros = perRequest === undefined ? 'n/a µs' : `≈ ${fixed(perRequest)} µs`;
  return `telemetry: ${run.summary.telemetryPercent.toFixed(1)} % of busy CPU, ${micros} per request`;
}

/** The CPU time per request that a share of the busy samples stands for. */
function perRequestOf(run: RunReport, sampledMicros: number): number | undefined {
  const { busyMicros } = run.analysis;
  if (run.requests === 0 || busyMicros === 0) return undefined;
  return (sampledMicros / busyMicros) * (run.cpuMicros / run.requests);
}

function telemetryMicros(run: RunReport): number {
  let micros = 0;
  for (const group of TELEMETRY_GROUPS) micros += run.analysis.groupMicros.get(group) ?? 0;
  return micros;
}

/** The runs of `--compare` side by side: as configured, sampled, disabled. */
export function formatComparison(runs: RunReport[]): string {
  const width = Math.max(14, ...runs.map((r) => r.label.length + 2));
  const row = (name: string, cells: string[]) =>
    `  ${name.padEnd(30)}${cells.map((c) => c.padStart(width)).join('')}`;
  const baseline = runs.at(-1)!.summary.cpuMicrosPerRequest;
  const lines = [
    'what telemetry costs, side by side',
    ...runs.flatMap((r) => failureWarning(r.load).map((line) => `${line} (${r.label})`)),
    row(
      '',
      runs.map((r) => r.label),
    ),
    row(
      'requests/s',
      runs.map((r) => number(r.summary.requestsPerSecond)),
    ),
    row(
      'CPU per request (µs)',
      runs.map((r) => fixed(r.summary.cpuMicrosPerRequest)),
    ),
    row(
      `  more than ${runs.at(-1)!.label} (µs)`,
      runs.map((r, i) =>
        i === runs.length - 1 ? '—' : signed(r.summary.cpuMicrosPerRequest - baseline),
      ),
    ),
    row(
      'telemetry (% of busy CPU)',
      runs.map((r) => r.summary.telemetryPercent.toFixed(1)),
    ),
    row(
      'telemetry per request (µs)',
      runs.map((r) => fixed(perRequestOf(r, telemetryMicros(r)))),
    ),
  ];
  for (const group of GROUPS) {
    lines.push(
      row(
        `${group} %`,
        runs.map((r) => (r.summary.groups.find((g) => g.group === group)?.percent ?? 0).toFixed(1)),
      ),
    );
  }
  return lines.join('\n');
}

/** Where a function lives: `(native)`, `node:net`, `fastify/lib/route.js:120`, `src/app.ts:14`. */
export function where(url: string, lineNumber: number): string {
  if (url === '') return '(native)';
  const line = lineNumber >= 0 ? `:${lineNumber + 1}` : '';
  if (!url.startsWith('file:')) return `${url}${line}`;
  const path = fileURLToPath(url);
  const at = path.lastIndexOf('/node_modules/');
  return `${at === -1 ? relative(process.cwd(), path) : path.slice(at + '/node_modules/'.length)}${line}`;
}

function otherParts(analysis: ProfileAnalysis): string {
  const busy = analysis.busyMicros;
  const parts = [...analysis.otherMicros].sort((a, b) => b[1] - a[1]);
  const shown = parts.slice(0, 4).map(([source, micros]) => {
    const name = source === 'unplaced' ? 'not placed' : source;
    return `${name} ${((100 * micros) / busy).toFixed(1)} %`;
  });
  return `(${shown.join(', ')})`;
}

function percentOf(part: number, whole: number): string {
  return `${(whole > 0 ? (100 * part) / whole : 0).toFixed(1)} %`;
}

function seconds(micros: number): string {
  return `${(micros / 1e6).toFixed(micros < 10e6 ? 2 : 1)} s`;
}

function micros(value: number): string {
  return `${fixed(value)} µs`;
}

function fixed(value: number | undefined): string {
  if (value === undefined) return 'n/a';
  return value < 10 ? value.toFixed(1) : number(Math.round(value));
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${fixed(Math.abs(value))}`;
}

function number(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
