import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { analyzeProfiles } from './analyze-profiles.ts';
import { type CpuProfile, forEachSample } from './cpu-profile.ts';
import { type LoadResult, loadGenerator } from './drive-load.ts';
import { packageFinder } from './package-of-file.ts';
import type { ProfileOptions } from './profile-options.ts';
import { summarize } from './profile-summary.ts';
import type { RunReport } from './report-table.ts';
import { startServiceProcess } from './service-process.ts';
import { ServiceProfiler, type ThreadProfile } from './service-profiler.ts';
import { waitUntilReady } from './wait-until-ready.ts';

/** Where a run writes and talks. */
export interface RunContext {
  options: ProfileOptions;
  /** Variables for this run, on top of the inherited environment. */
  env: Record<string, string>;
  /** `as configured`, `sampled 10 %`…; empty for a single run. */
  label: string;
  /** The profile's path without `.cpuprofile`. */
  basePath: string;
  /** Settles at the first Ctrl-C after the run starts. */
  interrupted: AbortSignal;
  /** Progress and the service's own output (stderr). */
  log: (line: string) => void;
}

const STOP_TIMEOUT_MS = 10_000;

/**
 * One profiled run: start the service with inspectors open, wait until it is
 * ready, profile it under load (or until Ctrl-C), stop it cleanly, write the
 * `.cpuprofile` files, and summarize where the busy CPU went.
 */
export async function profileRun(run: RunContext): Promise<RunReport> {
  const { options, log } = run;
  const driveLoad = options.load ? await loadGenerator() : undefined;
  const profiler = new ServiceProfiler({
    samplingIntervalMicros: options.sampleIntervalMicros,
    warn: (message) => log(`otelkit profile: ${message}`),
  });
  const service = startServiceProcess({
    command: options.command,
    env: run.env,
    onInspector: (url) => profiler.attach(url),
    onInspectorWaiting: () => void profiler.releaseEnded(),
    onOutput: log,
  });
  let threads: ThreadProfile[];
  let counted: number | undefined;
  let cpuMicros: number | undefined;
  let load: LoadResult | undefined;
  let seconds = 0;
  try {
    const readyAt = await waitUntilReady(service, {
      readyUrl: options.readyUrl,
      port: options.port,
      timeoutMs: options.timeoutSeconds * 1000,
    });
    const target = options.url ?? readyAt;
    if (options.warmupSeconds > 0) {
      if (driveLoad) {
        log(`warming up ${target} under load for ${options.warmupSeconds} s`);
        await driveLoad({
          url: target,
          connections: options.connections,
          seconds: options.warmupSeconds,
          signal: run.interrupted,
        });
      } else {
        log(`warming up ${target} for ${options.warmupSeconds} s: drive load at it now`);
        await untilInterrupted(run.interrupted, options.warmupSeconds);
      }
    }
    await profiler.start(options.load ? undefined : portOf(target));
    if (profiler.processes === 0) {
      throw new Error(
        'no Node.js process of the service opened an inspector (does the command replace NODE_OPTIONS?)',
      );
    }
    const started = performance.now();
    if (driveLoad) {
      log(
        `profiling ${target} under load: ${options.connections} connections for ${options.durationSeconds} s`,
      );
      load = await driveLoad({
        url: target,
        connections: options.connections,
        seconds: options.durationSeconds,
        signal: run.interrupted,
      });
    } else {
      log(`profiling ${target}: drive load at it now; press Ctrl-C to stop`);
      await untilInterrupted(
        run.interrupted,
        options.durationGiven ? options.durationSeconds : undefined,
      );
    }
    seconds = (performance.now() - started) / 1000;
    ({ profiles: threads, requests: counted, cpuMicros } = await profiler.stop());
    if (service.exit !== undefined) {
      const { code, signal } = service.exit;
      log(
        `otelkit profile: the service exited (${signal ?? `code ${code}`}) while it was profiled`,
      );
    }
  } finally {
    profiler.close();
    const stopped = await service.stop(STOP_TIMEOUT_MS);
    if (stopped.killed) {
      log(
        `otelkit profile: the service did not stop within ${STOP_TIMEOUT_MS / 1000} s; killed it`,
      );
    }
  }
  if (threads.length === 0) throw new Error('no profile could be taken from the service');

  const analysis = analyzeProfiles(
    threads.map((t) => t.profile),
    packageFinder(),
  );
  const paths = await writeProfiles(run.basePath, threads);
  const requests = load?.requests ?? counted ?? 0;
  // The OS's count of CPU time when the processes could give it; the samples' otherwise.
  const cpu = cpuMicros ?? analysis.busyMicros;
  return {
    label: run.label,
    summary: summarize(analysis, { requests, seconds, cpuMicros: cpu, profilePath: paths[0]! }),
    analysis,
    requests,
    cpuMicros: cpu,
    cpuFromProcess: cpuMicros !== undefined,
    load,
    otherProfilePaths: paths.slice(1),
  };
}

/** Writes one `.cpuprofile` per thread, the busiest first under the plain name; returns their paths. */
async function writeProfiles(basePath: string, threads: ThreadProfile[]): Promise<string[]> {
  const ordered = [...threads].sort((a, b) => busyMicros(b.profile) - busyMicros(a.profile));
  await mkdir(join(basePath, '..'), { recursive: true });
  return Promise.all(
    ordered.map(async ({ profile }, i) => {
      const path = `${basePath}${i === 0 ? '' : `.${i}`}.cpuprofile`;
      await writeFile(path, JSON.stringify(profile));
      return path;
    }),
  );
}

function busyMicros(profile: CpuProfile): number {
  const notBusy = new Set(
    profile.nodes
      .filter(
        (n) => n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)',
      )
      .map((n) => n.id),
  );
  let busy = 0;
  forEachSample(profile, (id, micros) => {
    if (!notBusy.has(id)) busy += micros;
  });
  return busy;
}

async function untilInterrupted(signal: AbortSignal, seconds: number | undefined): Promise<void> {
  if (signal.aborted) return;
  const stop = new Promise<void>((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  if (seconds === undefined) return stop;
  const controller = new AbortController();
  await Promise.race([
    stop,
    sleep(seconds * 1000, undefined, { signal: controller.signal }).catch(() => {}),
  ]);
  controller.abort();
}

function portOf(url: string): number {
  const { port, protocol } = new URL(url);
  return port === '' ? (protocol === 'https:' ? 443 : 80) : Number(port);
}
