// Outgoing HTTP tracing: the CPU a traced call costs the calling process,
// against the same call untraced, measured in the same run with the arms
// rotating every few dozen calls; `fetch` traced by the official
// @opentelemetry/instrumentation-undici is measured beside. The server runs in
// its own process so that only the client's CPU is counted. Spans go through
// the real SDK (otelkit's OtlpSpanProcessor and sampler, W3C propagation, as
// setup() registers them) to a sink process that counts them: every traced
// call's span must arrive, and the server must have answered every call of every arm.
import { channel } from 'node:diagnostics_channel';
import { Agent, request } from 'node:http';
import { propagation } from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { traceHttpClients } from '../../packages/otelkit/src/http/client/index.ts';
import { expectDelivered } from '../lib/delivery.ts';
import { ratioGoal, writeResults } from '../lib/results.ts';
import { registerSdk } from '../lib/sdk.ts';
import { type ClientArm, type ClientComparison, compareArms } from './client/cpu-per-call.ts';
import { startLoopback } from './client/loopback.ts';

const GOAL = 1.3;
const options = { rounds: 300, warmupRounds: 10, callsPerRound: 60, concurrency: 4 };
const callsPerArm = (options.rounds + options.warmupRounds) * options.callsPerRound;
const viaInstrumentation = 'instrumentation-undici';

const sdk = await registerSdk({ contextAttributes: true });
propagation.setGlobalPropagator(
  new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  }),
);
// Tracing subscribes to these channels and leaves them between traced rounds.
// A channel that loses its last subscriber changes shape, which costs undici a
// re-optimization that no app pays (it installs once): an idle listener keeps
// them subscribed in every arm, at the cost of one empty call per message.
const idle = () => {};
for (const name of [
  'undici:request:create',
  'undici:client:sendHeaders',
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

/** The arms around one way of calling: untraced, then traced by otelkit, then (fetch) officially. */
function arms(call: () => Promise<unknown>, official: boolean): ClientArm[] {
  let untrace: (() => void) | undefined;
  let instrumentation: UndiciInstrumentation | undefined;
  const traced: ClientArm[] = [
    {
      name: 'otelkit',
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
  if (official) {
    traced.push({
      name: viaInstrumentation,
      before() {
        instrumentation = new UndiciInstrumentation();
      },
      settle: () => sdk.flush(),
      after() {
        instrumentation?.disable();
      },
      call,
    });
  }
  return [{ name: 'untraced', call }, ...traced];
}

const comparisons: (ClientComparison & { spansExported: number; requestsAnswered: number })[] = [];
let exported = 0;
for (const [title, call, official] of [
  ['fetch', viaFetch, true],
  ['http.request', viaHttp, false],
] as const) {
  const answeredBefore = await server.requests();
  const measuredArms = arms(call, official);
  const comparison = await compareArms(title, measuredArms, options);
  const spans = callsPerArm * (measuredArms.length - 1);
  exported += spans;
  await sdk.expectExported(exported);
  const answered = (await server.requests()) - answeredBefore;
  expectDelivered(`${title}: requests answered`, callsPerArm * measuredArms.length, answered);
  comparisons.push({ ...comparison, spansExported: spans, requestsAnswered: answered });
}

agent.destroy();
await server.stop();
await sdk.shutdown();

console.table(
  comparisons.flatMap((c) =>
    c.arms.map((arm) => ({
      client: c.title,
      arm: arm.name,
      'µs CPU/call': arm.cpuUsPerCall.toFixed(1),
      'CPU ratio': arm.cpuRatio.toFixed(3),
      'main thread ratio': arm.mainThreadRatio.toFixed(3),
      'wall ratio': arm.wallRatio.toFixed(3),
    })),
  ),
);
const fetchTraced = comparisons[0]!.arms.find((arm) => arm.name === 'otelkit')!;
const goals = [ratioGoal('fetch: CPU per call, traced / untraced', fetchTraced.cpuRatio, GOAL)];
writeResults(
  'http-client',
  {
    name: 'http-client',
    description:
      'CPU per outgoing call in the calling process (process.cpuUsage), traced by traceHttpClients() (and, for fetch, by @opentelemetry/instrumentation-undici) vs untraced, to a loopback server in another process; median of per-round ratios, arms rotating',
    comparisons,
  },
  goals,
);
if (!goals.every((goal) => goal.met)) process.exitCode = 1;
