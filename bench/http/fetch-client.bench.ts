// Outgoing HTTP tracing: the CPU a traced call costs the calling process,
// against the same call untraced, measured in the same run with the arms
// alternated every few dozen calls. The server runs in its own process so
// that only the client's CPU is counted. Spans go through the real SDK (batch
// processor, otelkit's sampler, W3C propagation, as setup() registers them) to
// an exporter that counts them: every traced call's span must arrive, and the
// server must have answered every call of both arms.
import { channel } from 'node:diagnostics_channel';
import { Agent, request } from 'node:http';
import { propagation } from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { traceHttpClients } from '../../packages/otelkit/src/http/client/index.ts';
import { expectDelivered } from '../lib/delivery.ts';
import { ratioGoal, writeResults } from '../lib/results.ts';
import { registerSdk } from '../lib/sdk.ts';
import { type ClientArm, type ClientComparison, compareClients } from './client/cpu-per-call.ts';
import { startLoopback } from './client/loopback.ts';

const GOAL = 1.3;
const options = { rounds: 150, warmupRounds: 10, callsPerRound: 60, concurrency: 4 };
const callsPerArm = (options.rounds + options.warmupRounds) * options.callsPerRound;

const sdk = registerSdk({ contextAttributes: true });
propagation.setGlobalPropagator(
  new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  }),
);
// Tracing subscribes to these channels and leaves them between traced rounds.
// A channel that loses its last subscriber changes shape, which costs undici a
// re-optimization that no app pays (it installs once): an idle listener keeps
// them subscribed in both arms, at the cost of one empty call per message.
const idle = () => {};
for (const name of [
  'undici:request:create',
  'undici:request:headers',
  'undici:request:trailers',
  'undici:request:error',
  'http.client.request.created',
  'http.client.response.finish',
  'http.client.request.error',
]) {
  channel(name).subscribe(idle);
}

const server = await startLoopback();
const agent = new Agent({ keepAlive: true });

async function viaFetch(): Promise<unknown> {
  const response = await fetch(`${server.url}/users/42?page=1`);
  return response.text();
}

function viaHttp(): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request(`${server.url}/users/42?page=1`, { agent }, (response) => {
      response.resume();
      response.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
}

/** The untraced and traced arms around one way of calling. */
function arms(call: () => Promise<unknown>): [ClientArm, ClientArm] {
  let untrace: (() => void) | undefined;
  return [
    { name: 'untraced', call },
    {
      name: 'traced',
      before() {
        untrace = traceHttpClients();
      },
      // Exporting what the arm traced is part of its cost.
      settle: () => sdk.flush(),
      after() {
        untrace?.();
      },
      call,
    },
  ];
}

const comparisons: (ClientComparison & { spansExported: number; requestsAnswered: number })[] = [];
let traced = 0;
for (const [title, call] of [
  ['fetch', viaFetch],
  ['http.request', viaHttp],
] as const) {
  const answeredBefore = await server.requests();
  const comparison = await compareClients(title, ...arms(call), options);
  traced += callsPerArm;
  await sdk.expectExported(traced);
  const answered = (await server.requests()) - answeredBefore;
  expectDelivered(`${title}: requests answered`, 2 * callsPerArm, answered);
  comparisons.push({ ...comparison, spansExported: callsPerArm, requestsAnswered: answered });
}

agent.destroy();
await server.stop();
await sdk.shutdown();

console.table(
  comparisons.map((c) => ({
    client: c.title,
    'untraced µs CPU/call': c.baseline.cpuUsPerCall.toFixed(1),
    'traced µs CPU/call': c.candidate.cpuUsPerCall.toFixed(1),
    'CPU ratio': c.cpuRatio.toFixed(3),
    'main thread ratio': c.mainThreadRatio.toFixed(3),
    'wall ratio': c.wallRatio.toFixed(3),
  })),
);
const goals = [ratioGoal('fetch: CPU per call, traced / untraced', comparisons[0]!.cpuRatio, GOAL)];
writeResults(
  'http-client',
  {
    name: 'http-client',
    description:
      'CPU per outgoing call in the calling process (process.cpuUsage), traced by traceHttpClients() vs untraced, to a loopback server in another process; median of per-round ratios, arms alternated',
    comparisons,
  },
  goals,
);
if (!goals.every((goal) => goal.met)) process.exitCode = 1;
