import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_NODE_FLAGS } from '../test-support/source-node.ts';
import { startMariadb } from './test-support/mariadb-server.ts';
import { startPostgres } from './test-support/postgres-server.ts';
import { startRedis } from './test-support/redis-server.ts';
import { skipWithout, type TestServer } from './test-support/server-process.ts';

interface ReportedSpan {
  name: string;
  kind: SpanKind;
  scope: string;
  traceId: string;
  id: string;
  parent: string | undefined;
  attributes: Record<string, unknown>;
  status: SpanStatusCode;
}

const apps = (name: string) =>
  fileURLToPath(new URL(`./test-support/apps/${name}`, import.meta.url));

/** Runs an app in a child process, as a user would, and reads the spans it reports. */
async function runApp(args: string[], env: Record<string, string>): Promise<ReportedSpan[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [...SOURCE_NODE_FLAGS, ...args], {
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ReportedSpan[];
}

const missing =
  skipWithout('mariadbd', 'mariadb-server') ||
  skipWithout('redis-server', 'redis-server') ||
  skipWithout('postgres', 'postgresql');

describe.skipIf(missing)('with the official instrumentations, in CommonJS and ESM apps', () => {
  let mariadb: TestServer;
  let redis: TestServer;
  let postgres: TestServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    [mariadb, redis, postgres] = await Promise.all([startMariadb(), startRedis(), startPostgres()]);
    env = {
      MYSQL_PORT: String(mariadb.port),
      REDIS_PORT: String(redis.port),
      PG_PORT: String(postgres.port),
    };
  }, 90_000);
  afterAll(() => Promise.all([mariadb?.stop(), redis?.stop(), postgres?.stop()]));

  it('gives each operation exactly one span, the official instrumentation’s, in a CommonJS app', async () => {
    const spans = await runApp([apps('official-instrumentations.cjs')], env);
    const job = spans.find((span) => span.name === 'job')!;
    const client = spans.filter((span) => span.kind === SpanKind.CLIENT);
    const byScope = (scope: string) =>
      client.filter((span) => span.scope === `@opentelemetry/instrumentation-${scope}`);
    expect(client.filter((span) => span.scope === 'otelkit')).toEqual([]);
    expect(byScope('mysql2').map((span) => span.attributes['db.query.text'])).toEqual([
      'SELECT 1 AS one',
    ]);
    expect(byScope('ioredis').filter((span) => span.name === 'get')).toHaveLength(1);
    expect(byScope('redis').filter((span) => span.name.includes('GET'))).toHaveLength(1);
    for (const span of client) expect(span.traceId).toBe(job.traceId);
    expectPostgresSpans(byScope('pg'), job);
  });

  it('traces Postgres through the official instrumentation in an ES module app loaded with its hook', async () => {
    const spans = await runApp(['--import', apps('pg-telemetry.mjs'), apps('pg-app.mjs')], {
      PG_PORT: env.PG_PORT!,
    });
    const job = spans.find((span) => span.name === 'job')!;
    const pg = spans.filter(
      (span) => span.kind === SpanKind.CLIENT && span.scope === '@opentelemetry/instrumentation-pg',
    );
    expectPostgresSpans(pg, job);
  });

  function expectPostgresSpans(spans: ReportedSpan[], job: ReportedSpan): void {
    const queries = spans.filter((span) => span.attributes['db.query.text'] !== undefined);
    expect(queries.map((span) => span.attributes['db.query.text'])).toEqual([
      'SELECT $1::int AS one',
      'SELECT * FROM missing_table',
    ]);
    const [select, failed] = queries;
    expect(select!.parent).toBe(job.id);
    expect(failed!.parent).toBe(job.id);
    expect(select!.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.namespace': 'postgres',
      'server.address': '127.0.0.1',
      'server.port': Number(env.PG_PORT),
    });
    expect(failed!.status).toBe(SpanStatusCode.ERROR);
  }
});
