import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { PATH } from './apps.ts';
import { type ArmName, EXPORTING_ARMS, type Framework } from './arms.ts';
import type { SpanCounts } from './count-spans.ts';
import { nextMessage } from './ipc.ts';
import type { LoadRequest, LoadResult } from './load.ts';
import { type HttpBenchOptions, PROFILES_DIRECTORY } from './options.ts';
import type { ServerFlushed, ServerWindow } from './server.ts';
import { startSink } from './sink.ts';

/** One arm's run in one round. */
export interface ArmRun {
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

const here = import.meta.dirname;

/**
 * One arm of one round: its sink, its server process and a load process;
 * the load warms the server up, the server measures itself over the timed
 * load, then exports what its telemetry holds and exits, and the sink counts
 * what arrived. Throws when a request failed or the server's shutdown did.
 */
export async function runArm(
  framework: Framework,
  arm: ArmName,
  round: number,
  position: number,
  options: HttpBenchOptions,
): Promise<ArmRun> {
  const sink = EXPORTING_ARMS.includes(arm) ? await startSink() : undefined;
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
    ...overrides(),
  };
}

/** `HTTP_BENCH_OTEL="OTEL_TRACES_EXPORTER=none …"`: settings of the instrumented servers, for a quick run. */
function overrides(): Record<string, string> {
  const spec = process.env.HTTP_BENCH_OTEL?.trim();
  if (!spec) return {};
  return Object.fromEntries(
    spec.split(/\s+/).map((pair) => pair.split('=', 2) as [string, string]),
  );
}
