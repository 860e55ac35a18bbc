// Database and cache client tracing: the CPU a traced operation costs the
// calling process, against the same operation untraced, in the same run with
// the arms rotating every few dozen operations: a Redis GET through ioredis and
// a MySQL point select through mysql2, each traced by otelkit from the driver's
// tracing channels and, beside it, by the official patching instrumentation.
// The servers (a private redis-server and MariaDB) run in their own processes,
// so only the client's CPU is counted. Spans go through the real SDK (batch
// processor, otelkit's sampler) to an exporter that counts them: every traced
// operation's span must arrive, and every operation must return what it asked for.
import { tracingChannel } from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { trace } from '@opentelemetry/api';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { startMariadb } from '../../packages/otelkit/src/db/test-support/mariadb-server.ts';
import { startRedis } from '../../packages/otelkit/src/db/test-support/redis-server.ts';
import { traceDatabases } from '../../packages/otelkit/src/db/trace-databases.ts';
import { type ClientArm, type ClientComparison, compareArms } from '../http/client/cpu-per-call.ts';
import { ratioGoal, writeResults } from '../lib/results.ts';
import { registerSdk } from '../lib/sdk.ts';

const GOAL = 1.15;
const options = { rounds: 200, warmupRounds: 10, callsPerRound: 50, concurrency: 4 };
const callsPerArm = (options.rounds + options.warmupRounds) * options.callsPerRound;

const sdk = await registerSdk({ contextAttributes: true });
// The official instrumentations patch the drivers as they are required: enabled
// first, then disabled until their arm, which enables them again.
// Both trace operations without a parent span, as otelkit does (ioredis's default would skip them).
const officialRedis = new IORedisInstrumentation({ requireParentSpan: false });
const officialMysql = new MySQL2Instrumentation();
for (const instrumentation of [officialRedis, officialMysql]) {
  instrumentation.setTracerProvider(trace.getTracerProvider());
  instrumentation.enable();
}
const require = createRequire(import.meta.url);
const Redis = require('ioredis') as typeof import('ioredis').default;
const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
officialRedis.disable();
officialMysql.disable();

// Tracing subscribes to the channels and leaves them between traced rounds; an
// idle subscriber keeps them in the shape an app that installs once has.
const idle = { start() {}, end() {}, asyncStart() {}, asyncEnd() {}, error() {} };
for (const name of ['ioredis:command', 'mysql2:query', 'mysql2:execute']) {
  tracingChannel(name).subscribe(idle);
}

const [redisServer, mariadb] = await Promise.all([startRedis(), startMariadb()]);
const redis = new Redis({ host: redisServer.host, port: redisServer.port });
await redis.set('user:42', JSON.stringify({ id: 42, name: 'ada' }));
const connection = await mysql.createConnection({
  host: mariadb.host,
  port: mariadb.port,
  user: 'root',
  database: 'app',
});
await connection.query('CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(40))');
await connection.query("INSERT INTO users VALUES (42, 'ada'), (43, 'grace')");

let answered = 0;
async function redisGet(): Promise<void> {
  if ((await redis.get('user:42'))?.includes('ada')) answered++;
}
async function pointSelect(): Promise<void> {
  const [rows] = await connection.query('SELECT id, name FROM users WHERE id = ?', [42]);
  if ((rows as { name: string }[])[0]?.name === 'ada') answered++;
}

/** The arms around one operation: untraced, traced by otelkit, traced by the official instrumentation. */
function arms(
  call: () => Promise<void>,
  official: IORedisInstrumentation | MySQL2Instrumentation,
): ClientArm[] {
  let untrace: (() => void) | undefined;
  return [
    { name: 'untraced', call },
    {
      name: 'otelkit',
      before() {
        untrace = traceDatabases();
      },
      // Exporting what the arm traced is part of its cost.
      settle: () => sdk.flush(),
      after() {
        untrace?.();
      },
      call,
    },
    {
      name: official.instrumentationName.replace('@opentelemetry/', ''),
      before() {
        official.enable();
      },
      settle: () => sdk.flush(),
      after() {
        official.disable();
      },
      call,
    },
  ];
}

const comparisons: (ClientComparison & { spansExported: number; answered: number })[] = [];
let exported = 0;
for (const [title, call, official] of [
  ['Redis GET (ioredis)', redisGet, officialRedis],
  ['MySQL point select (mysql2)', pointSelect, officialMysql],
] as const) {
  answered = 0;
  const measured = arms(call, official);
  const comparison = await compareArms(title, measured, options);
  const spans = callsPerArm * (measured.length - 1);
  exported += spans;
  await sdk.expectExported(exported);
  if (answered !== callsPerArm * measured.length) {
    throw new Error(
      `${title}: ${answered} of ${callsPerArm * measured.length} operations answered`,
    );
  }
  comparisons.push({ ...comparison, spansExported: spans, answered });
}

redis.disconnect();
await connection.end();
await Promise.all([redisServer.stop(), mariadb.stop()]);
await sdk.shutdown();

console.table(
  comparisons.flatMap((c) =>
    c.arms.map((arm) => ({
      operation: c.title,
      arm: arm.name,
      'µs CPU/op': arm.cpuUsPerCall.toFixed(1),
      'CPU ratio': arm.cpuRatio.toFixed(3),
      'main thread ratio': arm.mainThreadRatio.toFixed(3),
      'wall ratio': arm.wallRatio.toFixed(3),
    })),
  ),
);
const goals = comparisons.flatMap((c) => {
  const ours = c.arms.find((arm) => arm.name === 'otelkit')!;
  const official = c.arms[2]!;
  return [
    ratioGoal(`${c.title}: CPU per op, traced / untraced`, ours.cpuRatio, GOAL),
    ratioGoal(
      `${c.title}: CPU per op, otelkit / ${official.name}`,
      ours.cpuUsPerCall / official.cpuUsPerCall,
      1,
    ),
  ];
});
writeResults(
  'db',
  {
    name: 'db',
    description:
      'CPU per database or cache operation in the calling process (process.cpuUsage), traced by otelkit from the drivers’ tracing channels and by the official instrumentations vs untraced, against a private redis-server and MariaDB in their own processes; median of per-round ratios, arms rotating',
    comparisons,
  },
  goals,
);
if (!goals.every((goal) => goal.met)) process.exitCode = 1;
