import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join, relative } from 'node:path';
import { median } from '../lib/compare.ts';
import { type Goal, ratioGoal, writeResults } from '../lib/results.ts';
import { PATH } from './apps.ts';
import { type ArmName, type Framework, OFFICIAL_ROUTE } from './arms.ts';
import type { SpanCounts } from './count-spans.ts';
import { nextMessage } from './ipc.ts';
import type { LoadRequest, LoadResult } from './load.ts';
import { type HttpBenchOptions, httpBenchOptions, PROFILES_DIRECTORY } from './options.ts';
import type { ServerFlushed, ServerWindow } from './server.ts';
import { startSink } from './sink.ts';

/** One arm's run in one round. */
interface ArmRun {
  readonly round: number;
  /** Where the arm ran in its round (0 = first). */
  readonly position: number;
  readonly requestsPerSecond: number;
  readonly latencyP99Ms: number;
  /** Server CPU time (user + system, every thread) per request served in the window. */
  readonly cpuPerRequestUs: number;
  readonly eventLoopDelayP99Ms: number;
  /** Every request the server served, warm-up included. */
  readonly requestsServed: number;
  /** What the arm's own sink received; absent for `plain`. */
  readonly spans: SpanCounts | undefined;
}

/** The figures compared between arms; lower is better except requests/s. */
const METRICS = [
  'cpuPerRequestUs',
  'requestsPerSecond',
  'latencyP99Ms',
  'eventLoopDelayP99Ms',
] as const;
type Metric = (typeof METRICS)[number];

/** otelkit's goals against the plain server of the same round. */
const GOALS: Record<Metric, { name: string; limit: number; atLeast?: boolean }> = {
  cpuPerRequestUs: { name: 'otelkit server CPU per request vs plain', limit: 1.6 },
  requestsPerSecond: { name: 'otelkit requests/s vs plain', limit: 0.7, atLeast: true },
  latencyP99Ms: { name: 'otelkit latency p99 vs plain', limit: 2 },
  eventLoopDelayP99Ms: { name: 'otelkit event-loop delay p99 vs plain', limit: 1.5 },
};

const here = import.meta.dirname;

/**
 * Measures a hello-world server of `framework` in each arm: plain, otelkit
 * (full `setup()`, every span exported over OTLP/protobuf to a loopback sink)
 * and the official route, each server in its own process and the load from
 * autocannon in another. Arms rotate their position each round; the figures
 * are medians of per-round ratios against the plain server. Each instrumented
 * arm's sink must have received one root server span per request served, or
 * the run fails. Writes `bench/results/http-<framework>.json`.
 */
export async function benchHttpFramework(framework: Framework): Promise<void> {
  const options = httpBenchOptions();
  const { arms, rounds } = options;
  console.log(
    `http-${framework}: ${rounds} rounds of ${options.warmupSeconds} s warm-up + ${options.seconds} s ` +
      `measured, ${options.connections} connections, arms ${arms.join(', ')}`,
  );
  if (options.profile.length === 0) {
    console.log(
      `  CPU profiles: BENCH_CPU_PROF=1 starts the otelkit server with --cpu-prof into ${PROFILES_DIRECTORY}/`,
    );
  }
  const runs = Object.fromEntries(arms.map((arm) => [arm, [] as ArmRun[]])) as Record<
    ArmName,
    ArmRun[]
  >;
  for (let round = 0; round < rounds; round++) {
    for (let position = 0; position < arms.length; position++) {
      const arm = arms[(position + round) % arms.length]!;
      const run = await runArm(framework, arm, round, position, options);
      runs[arm].push(run);
      console.log(
        `  round ${round + 1} ${arm.padEnd(8)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s` +
          `  p99 ${run.latencyP99Ms.toFixed(1)} ms  cpu ${run.cpuPerRequestUs.toFixed(1)} µs/req` +
          `  loop delay p99 ${run.eventLoopDelayP99Ms.toFixed(2)} ms` +
          (run.spans
            ? `  root spans ${run.spans.rootServerSpans}/${run.requestsServed} requests`
            : ''),
      );
    }
  }

  const summary = Object.fromEntries(
    arms.map((arm) => [arm, summarize(runs, arm, arms.includes('plain'))]),
  );
  const delivery = Object.fromEntries(
    arms.filter((arm) => arm !== 'plain').map((arm) => [arm, deliveryOf(runs[arm])]),
  );
  const goals: Goal[] = [];
  const otelkitRatios = summary.otelkit?.ratios;
  if (otelkitRatios) {
    for (const metric of METRICS) {
      const { name, limit, atLeast } = GOALS[metric];
      goals.push(ratioGoal(name, otelkitRatios[metric], limit, atLeast));
    }
  }

  console.log(`\nhttp-${framework}: medians over ${rounds} rounds; ratios vs plain, same round`);
  console.table(
    arms.map((arm) => {
      const { medians, ratios } = summary[arm]!;
      const cell = (metric: Metric, digits: number) =>
        `${medians[metric].toFixed(digits)}${ratios && arm !== 'plain' ? ` (${ratios[metric].toFixed(2)}×)` : ''}`;
      return {
        arm,
        'cpu µs/req': cell('cpuPerRequestUs', 1),
        'req/s': cell('requestsPerSecond', 0),
        'p99 ms': cell('latencyP99Ms', 1),
        'loop delay p99 ms': cell('eventLoopDelayP99Ms', 2),
        'root spans / requests': delivery[arm]
          ? `${delivery[arm].rootServerSpans} / ${delivery[arm].requestsServed}`
          : '',
      };
    }),
  );
  if (goals.length > 0) console.table(goals);

  const file = `http-${framework}${options.quick ? '.tmp' : ''}`;
  const path = writeResults(
    file,
    {
      name: `http-${framework}`,
      framework,
      officialRoute: OFFICIAL_ROUTE[framework],
      rounds,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      connections: options.connections,
      exportInWorker: process.env.BENCH_EXPORT_IN_WORKER ?? 'default',
      arms: summary,
      delivery,
      runs,
    },
    goals,
  );
  console.log(`results: ${relative(process.cwd(), path)}`);

  const short = Object.entries(delivery).filter(([, d]) => !d.complete);
  if (short.length > 0) {
    for (const [arm, d] of short) {
      console.error(
        `${arm}: the sink received ${d.rootServerSpans} root server spans for ${d.requestsServed} requests served`,
      );
    }
    process.exitCode = 1;
  }
}

function summarize(runs: Record<ArmName, ArmRun[]>, arm: ArmName, withPlain: boolean) {
  const mine = runs[arm];
  const medians = Object.fromEntries(
    METRICS.map((metric) => [metric, median(mine.map((run) => run[metric]))]),
  ) as Record<Metric, number>;
  const ratios = withPlain
    ? (Object.fromEntries(
        METRICS.map((metric) => [
          metric,
          median(mine.map((run, i) => run[metric] / runs.plain[i]![metric])),
        ]),
      ) as Record<Metric, number>)
    : undefined;
  return { medians, ratios };
}

function deliveryOf(runs: readonly ArmRun[]) {
  const sum = (pick: (run: ArmRun) => number) => runs.reduce((n, run) => n + pick(run), 0);
  const requestsServed = sum((run) => run.requestsServed);
  const rootServerSpans = sum((run) => run.spans?.rootServerSpans ?? 0);
  const spans = sum((run) => run.spans?.spans ?? 0);
  return {
    requestsServed,
    rootServerSpans,
    spans,
    spansPerRequest: spans / requestsServed,
    complete: runs.every((run) => run.spans?.rootServerSpans === run.requestsServed),
  };
}

async function runArm(
  framework: Framework,
  arm: ArmName,
  round: number,
  position: number,
  options: HttpBenchOptions,
): Promise<ArmRun> {
  const sink = arm === 'plain' ? undefined : await startSink();
  const profile = options.profile.includes(arm)
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${PROFILES_DIRECTORY}`,
        `--cpu-prof-name=http-${framework}-${arm}-round${round + 1}.cpuprofile`,
      ]
    : [];
  const server = fork(join(here, 'server.ts'), [framework, arm], {
    execArgv: ['--conditions=otelkit-source', ...profile],
    env: serverEnvironment(framework, sink?.url),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let load: ChildProcess | undefined;
  let counted = false;
  try {
    const { port } = await nextMessage<{ type: 'listening'; port: number }>(server, 'listening');
    load = fork(join(here, 'load.ts'), [], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const request: LoadRequest = {
      type: 'run',
      url: `http://127.0.0.1:${port}${PATH}`,
      warmupSeconds: options.warmupSeconds,
      seconds: options.seconds,
      connections: options.connections,
    };
    load.send(request);
    await nextMessage(load, 'warm');
    server.send({ type: 'start' });
    await nextMessage(server, 'started');
    load.send({ type: 'go' });
    const result = await nextMessage<LoadResult>(load, 'done');
    server.send({ type: 'stop' });
    const window = await nextMessage<ServerWindow>(server, 'window');
    server.send({ type: 'finish' });
    const flushed = await nextMessage<ServerFlushed>(server, 'flushed');
    if (server.exitCode === null) await once(server, 'exit');
    const spans = await sink?.close();
    counted = true;
    if (flushed.error) throw new Error(`${framework}/${arm}: shutdown failed: ${flushed.error}`);
    if (result.failures > 0) {
      throw new Error(`${framework}/${arm}: ${result.failures} failed requests`);
    }
    if (window.requests === 0) throw new Error(`${framework}/${arm}: no request in the window`);
    if (profile.length > 0) {
      console.log(
        `  CPU profile: ${PROFILES_DIRECTORY}/http-${framework}-${arm}-round${round + 1}.cpuprofile`,
      );
    }
    return {
      round,
      position,
      requestsPerSecond: result.requestsPerSecond,
      latencyP99Ms: result.latencyP99Ms,
      cpuPerRequestUs: window.cpuMicros / window.requests,
      eventLoopDelayP99Ms: window.eventLoopDelayP99Ms,
      requestsServed: flushed.requests,
      spans,
    };
  } finally {
    for (const child of [load, server]) {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    if (sink && !counted) await sink.close();
  }
}

/** The server's environment: OTLP/protobuf to its sink, and no OTEL_* setting from outside. */
function serverEnvironment(framework: Framework, sinkUrl: string | undefined): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')),
  );
  if (sinkUrl === undefined) return env;
  return {
    ...env,
    OTEL_SERVICE_NAME: `bench-${framework}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'none',
    // Never probe cloud metadata endpoints from a benchmark.
    OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
  };
}
