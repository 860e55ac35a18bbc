// One benchmark server, in its own process, driven over IPC by the runner:
// `node server.ts <framework> <arm>`. Sends `listening` with its port; between
// `start` and `stop` it measures its own CPU time, the requests it served and
// its event-loop delay, and sends them in `window`; on `finish` it exports
// what its telemetry holds, sends `flushed` with every request it served, and exits.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from './apps.ts';
import { type ArmName, BUSY_MICROS, type Framework } from './arms.ts';
import type { Message } from './ipc.ts';
import { type OfficialRoute, startOfficialRoute } from './official-route.ts';

/** What the server measured over the timed window. */
export interface ServerWindow {
  readonly type: 'window';
  /** User + system CPU time of the whole process (every thread), in microseconds. */
  readonly cpuMicros: number;
  /** Requests that arrived in the window. */
  readonly requests: number;
  /** The 99th percentile of the event loop's delay beyond the sampling interval, in ms. */
  readonly eventLoopDelayP99Ms: number;
}

/** Sent once the telemetry has exported everything: every request the process served. */
export interface ServerFlushed {
  readonly type: 'flushed';
  readonly requests: number;
  /** Why the telemetry's shutdown failed, if it did. */
  readonly error?: string;
}

// The sampling interval of the event-loop delay histogram; each sample records
// the time between two timer runs, so the interval itself is subtracted.
const RESOLUTION_MS = 1;

const [framework, arm] = process.argv.slice(2) as [Framework, ArmName];

let shutdown: () => Promise<void> = () => Promise.resolve();
let official: OfficialRoute | undefined;
if (arm === 'otelkit') {
  const { setup } = await import('otelkit/setup');
  const telemetry = setup({ service: { name: `bench-${framework}` } });
  shutdown = () => telemetry.shutdown();
} else if (arm === 'official') {
  official = startOfficialRoute(framework);
  shutdown = official.shutdown;
}

const server: Server = await createApp(framework, arm, official);
if (arm === 'busy') {
  // Runs before the framework's own listener: the same work whatever the framework.
  server.prependListener('request', function busyWork() {
    const until = performance.now() + BUSY_MICROS / 1000;
    while (performance.now() < until);
  });
}
let served = 0;
server.on('request', () => {
  served++;
});

const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
let windowStart = { cpu: process.cpuUsage(), served: 0 };

process.on('message', async (message: Message) => {
  if (message.type === 'start') {
    delay.reset();
    delay.enable();
    windowStart = { cpu: process.cpuUsage(), served };
    process.send!({ type: 'started' });
  } else if (message.type === 'stop') {
    const cpu = process.cpuUsage(windowStart.cpu);
    delay.disable();
    const window: ServerWindow = {
      type: 'window',
      cpuMicros: cpu.user + cpu.system,
      requests: served - windowStart.served,
      eventLoopDelayP99Ms: Math.max(0, delay.percentile(99) / 1e6 - RESOLUTION_MS),
    };
    process.send!(window);
  } else if (message.type === 'finish') {
    server.closeAllConnections();
    server.close();
    let error: string | undefined;
    await shutdown().catch((cause: unknown) => {
      error = String(cause);
    });
    const flushed: ServerFlushed = { type: 'flushed', requests: served, ...(error && { error }) };
    process.send!(flushed, () => process.exit(0));
  }
});
process.send!({ type: 'listening', port: (server.address() as AddressInfo).port });
