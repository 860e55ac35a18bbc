/**
 * `otelkit profile`: what telemetry costs, measured on the service itself
 * under load, from V8 CPU profiles grouped by the modules the time went to.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { succeeded } from './profile/drive-load.ts';
import { PROFILE_USAGE, type ProfileOptions, parseProfileArgs } from './profile/profile-options.ts';
import { profileRun } from './profile/profile-run.ts';
import type { ComparisonSummary, ProfileSummary } from './profile/profile-summary.ts';
import { formatComparison, formatReport, type RunReport } from './profile/report-table.ts';

/** Where `otelkit profile` writes: the report (stdout) and everything else (stderr). */
export interface ProfileIo {
  /** The report, or with `--json` the summary alone. */
  out: (text: string) => void;
  /** Progress, warnings, errors and the service's own output. */
  err: (line: string) => void;
}

const processIo: ProfileIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs `otelkit profile <args>`; resolves to the exit code: 0 after a report,
 * 1 when the service could not be profiled, 2 for bad arguments.
 *
 * @example
 * // npx otelkit profile --duration 30 --compare -- node server.js
 * process.exitCode = await runProfile(['--compare', '--', 'node', 'server.js']);
 */
export async function runProfile(args: string[], io: ProfileIo = processIo): Promise<number> {
  let options: ProfileOptions;
  try {
    options = parseProfileArgs(args);
  } catch (error) {
    io.err(
      `otelkit profile: ${(error as Error).message}\nRun "otelkit profile --help" for the options.`,
    );
    return 2;
  }
  if (options.help) {
    io.out(PROFILE_USAGE);
    return 0;
  }
  const stamp = new Date()
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replaceAll(':', '-');
  const base = join(options.outDir, `otelkit-profile-${stamp}`);
  const runs: { label: string; suffix: string; env: Record<string, string> }[] = options.compare
    ? [
        { label: 'as configured', suffix: '-configured', env: {} },
        {
          label: `sampled ${Number((options.ratio * 100).toFixed(2))} %`,
          suffix: '-sampled',
          env: {
            OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
            OTEL_TRACES_SAMPLER_ARG: String(options.ratio),
          },
        },
        { label: 'SDK disabled', suffix: '-disabled', env: { OTEL_SDK_DISABLED: 'true' } },
      ]
    : [{ label: '', suffix: '', env: {} }];

  const interrupts = new Interrupts();
  try {
    const reports: RunReport[] = [];
    for (const [i, run] of runs.entries()) {
      // With our own load, Ctrl-C ends the command; with --no-load it ends each run.
      if (options.load && interrupts.count > 0) break;
      if (runs.length > 1) io.err(`otelkit profile: run ${i + 1} of ${runs.length}, ${run.label}`);
      const report = await profileRun({
        options,
        env: run.env,
        label: run.label,
        basePath: `${base}${run.suffix}`,
        interrupted: interrupts.next(),
        log: io.err,
      });
      // A profile of a service that answered nothing but failures says nothing about its cost.
      if (report.load !== undefined && succeeded(report.load) === 0) {
        const { requests, non2xx, errors, firstError } = report.load;
        io.err(
          `otelkit profile: no request succeeded${run.label === '' ? '' : ` (${run.label})`}: ` +
            `${requests} responses, ${non2xx} not 2xx, ${errors} errors; the first: ${firstError ?? 'none'}`,
        );
        return 1;
      }
      reports.push(report);
    }
    const summary: ProfileSummary | ComparisonSummary = options.compare
      ? { runs: reports.map((r) => r.summary) }
      : reports[0]!.summary;
    await mkdir(options.outDir, { recursive: true });
    const summaryPath = `${base}.json`;
    await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
    if (options.json) {
      io.out(JSON.stringify(summary, null, 2));
      return 0;
    }
    io.out(formatReport(reports[0]!, options.command));
    if (reports.length > 1) io.out(`\n${formatComparison(reports)}`);
    if (reports.length < runs.length) io.out('\n  (interrupted: not every run was profiled)');
    io.out(`\n  summary: ${summaryPath}`);
    return 0;
  } catch (error) {
    io.err(`otelkit profile: ${(error as Error).message}`);
    return 1;
  } finally {
    interrupts.close();
  }
}

/** Ctrl-C while profiling: each signal ends what is running instead of the process. */
class Interrupts {
  count = 0;
  #current = new AbortController();
  readonly #onSignal = () => {
    this.count++;
    this.#current.abort();
  };

  constructor() {
    process.on('SIGINT', this.#onSignal);
  }

  /** A signal aborted by the next Ctrl-C. */
  next(): AbortSignal {
    this.#current = new AbortController();
    return this.#current.signal;
  }

  close(): void {
    process.off('SIGINT', this.#onSignal);
  }
}
