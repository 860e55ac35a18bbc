import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { nextMessage } from '../http/ipc.ts';
import type { ArmName, Kind } from './arms.ts';
import type { LoadRequest, LoadResult } from './load.ts';
import { PROFILES_DIRECTORY, type SamplingBenchOptions } from './options.ts';
import type { ServerFlushed, ServerWindow } from './server.ts';
import { startSamplingSink } from './sink.ts';

/** One arm's run in one round. */
export interface ArmRun {
  readonly round: number;
  /** Where the arm ran in its round (0 = first). */
  readonly position: number;
  /** Server CPU time (user + system, every thread) per request served in the window. */
  readonly cpuPerRequestUs: number;
  /** Every request the server answered, warm-up included, by kind. */
  readonly served: Record<Kind, number>;
  readonly requestsServed: number;
  /** Handlers run to their end, answered or cut short by the load's end. */
  readonly handled: number;
  /** Failing and slow requests answered, and those whose trace arrived complete. */
  readonly keptServed: number;
  readonly keptComplete: number;
  /** Trace export bytes received per request served. */
  readonly bytesPerRequest: number;
  /** Spans received per request served. */
  readonly spansPerRequest: number;
  readonly spans: number;
  readonly traces: number;
  /** Traces received by kind, and those complete. */
  readonly received: Record<Kind, { traces: number; complete: number }>;
  /** Traces received with a span missing: none should be. */
  readonly partial: number;
}

const here = import.meta.dirname;

/**
 * One arm of one round: its sink, its server process and a load process.
 * The load warms the server up, the server measures itself over the timed
 * load, shuts its telemetry down and exits, and the sink takes the census
 * of what arrived. Throws when a request failed or the shutdown did.
 */
export async function runArm(
  arm: ArmName,
  round: number,
  position: number,
  options: SamplingBenchOptions,
): Promise<ArmRun> {
  const sink = await startSamplingSink();
  const server = fork(join(here, 'server.ts'), [arm], {
    execArgv: [
      '--conditions=otelkit-source',
      ...(options.profile.includes(arm)
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${PROFILES_DIRECTORY}`,
            `--cpu-prof-name=sampling-${arm}-round${round + 1}.cpuprofile`,
          ]
        : []),
    ],
    env: serverEnvironment(sink.url),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let load: ChildProcess | undefined;
  let closed = false;
  try {
    const { port } = await nextMessage<{ type: 'listening'; port: number }>(server, 'listening');
    load = fork(join(here, 'load.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const request: LoadRequest = {
      type: 'run',
      url: `http://127.0.0.1:${port}`,
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
    const census = await sink.close();
    closed = true;
    if (flushed.error) throw new Error(`${arm}: shutdown failed: ${flushed.error}`);
    if (result.failures > 0) throw new Error(`${arm}: ${result.failures} requests failed`);
    if (window.requests === 0) throw new Error(`${arm}: no request in the window`);
    const { served } = flushed;
    const requestsServed = served.ok + served.fail + served.slow;
    return {
      round,
      position,
      cpuPerRequestUs: window.cpuMicros / window.requests,
      served,
      requestsServed,
      handled: flushed.handled,
      keptServed: flushed.kept.length,
      keptComplete: census.complete(flushed.kept),
      bytesPerRequest: census.bytes / requestsServed,
      spansPerRequest: census.spans / requestsServed,
      spans: census.spans,
      traces: census.traces.size,
      received: census.byKind(),
      partial: census.partial,
    };
  } finally {
    for (const child of [load, server]) {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    if (!closed) await sink.close();
  }
}

/** OTLP/protobuf to the sink, metrics too, and no OTEL_* setting from outside. */
function serverEnvironment(sinkUrl: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')),
  );
  return {
    ...env,
    OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'none',
    // Never probe cloud metadata endpoints from a benchmark.
    OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
  };
}
