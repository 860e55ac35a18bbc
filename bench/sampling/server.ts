// The service of the sampling benchmark, in its own process, driven over IPC
// like bench/http/server.ts: `node server.ts <arm>`. Fastify with otelkit's
// plugin; GET /work/:kind makes two spans under the server span, sleeps
// SLOW_MS for `slow` and throws for `fail` (a 500). Between `start` and
// `stop` it measures its own CPU time and the requests it served; on
// `finish` it waits for the handlers still running, shuts telemetry down and
// reports what it answered, by kind, with the trace ids of those kept.
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { withSpan } from 'otelkit';
import { setup } from 'otelkit/setup';
import type { Message } from '../http/ipc.ts';
import { type ArmName, type Kind, SLOW_MS, setupOptions } from './arms.ts';

/** What the server measured over the timed window. */
export interface ServerWindow {
  readonly type: 'window';
  /** User + system CPU time of the whole process (every thread), in microseconds. */
  readonly cpuMicros: number;
  readonly requests: number;
}

/** Sent once telemetry is shut down: every request answered, by kind, and what was handled. */
export interface ServerFlushed {
  readonly type: 'flushed';
  /** Requests whose response was sent, by kind. */
  readonly served: Record<Kind, number>;
  /** Handlers run to their end, answered or not (the load cuts the last requests short). */
  readonly handled: number;
  /** The trace ids of the failing and slow requests answered. */
  readonly kept: readonly string[];
  readonly error?: string;
}

const arm = process.argv[2] as ArmName;
const telemetry = setup(setupOptions(arm));
const require = createRequire(import.meta.url);
const Fastify = require('fastify') as typeof import('fastify').default;
const { otelkitPlugin } = await import('otelkit/fastify');

const served: Record<Kind, number> = { ok: 0, fail: 0, slow: 0 };
const kept: string[] = [];
const traceIds = new WeakMap<object, string>();
let handled = 0;
let running = 0;
let idle: (() => void) | undefined;
const app = Fastify();
await app.register(otelkitPlugin);
app.get<{ Params: { kind: Kind } }>('/work/:kind', async (request) => {
  const { kind } = request.params;
  running++;
  try {
    traceIds.set(request, trace.getActiveSpan()?.spanContext().traceId ?? '');
    const total = await withSpan('load order', async (span) => {
      span.setAttribute('order.items', 3);
      if (kind === 'slow') await sleep(SLOW_MS);
      return 3 * 19.99;
    });
    const body = withSpan('render', () => JSON.stringify({ kind, total }));
    if (kind === 'fail') throw new Error('payment declined');
    return body;
  } finally {
    handled++;
    if (--running === 0) idle?.();
  }
});
app.addHook('onResponse', async (request) => {
  const { kind } = request.params as { kind: Kind };
  served[kind]++;
  if (kind !== 'ok') kept.push(traceIds.get(request) ?? '');
});
await app.listen({ port: 0, host: '127.0.0.1' });

let windowStart = { cpu: process.cpuUsage(), requests: 0 };
const requests = () => served.ok + served.fail + served.slow;
process.on('message', async (message: Message) => {
  if (message.type === 'start') {
    windowStart = { cpu: process.cpuUsage(), requests: requests() };
    process.send!({ type: 'started' });
  } else if (message.type === 'stop') {
    const cpu = process.cpuUsage(windowStart.cpu);
    const window: ServerWindow = {
      type: 'window',
      cpuMicros: cpu.user + cpu.system,
      requests: requests() - windowStart.requests,
    };
    process.send!(window);
  } else if (message.type === 'finish') {
    await app.close();
    // Requests the load cut short still run to their end, their spans with them.
    if (running > 0) await new Promise<void>((resolve) => (idle = resolve));
    let error: string | undefined;
    await telemetry.shutdown().catch((cause: unknown) => {
      error = String(cause);
    });
    const flushed: ServerFlushed = {
      type: 'flushed',
      served,
      handled,
      kept,
      ...(error && { error }),
    };
    process.send!(flushed, () => process.exit(0));
  }
});
process.send!({ type: 'listening', port: (app.server.address() as AddressInfo).port });
