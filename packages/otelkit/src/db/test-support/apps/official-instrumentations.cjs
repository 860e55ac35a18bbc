// A CommonJS app with the official database instrumentations passed to setup():
// they patch the drivers as they are required, and otelkit leaves those drivers to them.
const { InMemorySpanExporter } = require('@opentelemetry/sdk-trace');
const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis');
const { MySQL2Instrumentation } = require('@opentelemetry/instrumentation-mysql2');
const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg');
const { RedisInstrumentation } = require('@opentelemetry/instrumentation-redis');
const { withSpan } = require('otelkit');
const { setup } = require('otelkit/setup');
const { reportSpans } = require('./report-spans.cjs');

const exporter = new InMemorySpanExporter();
const telemetry = setup({
  exporter: 'none',
  traces: { exporter },
  instrumentations: [
    new MySQL2Instrumentation(),
    new IORedisInstrumentation(),
    new RedisInstrumentation(),
    new PgInstrumentation(),
  ],
});

const mysql = require('mysql2/promise');
const Redis = require('ioredis');
const { createClient } = require('redis');
const pg = require('pg');

const { MYSQL_PORT, REDIS_PORT, PG_PORT } = process.env;

withSpan('job', async () => {
  const connection = await mysql.createConnection({
    host: '127.0.0.1',
    port: Number(MYSQL_PORT),
    user: 'root',
  });
  await connection.query('SELECT 1 AS one');
  await connection.end();
  const ioredis = new Redis({ host: '127.0.0.1', port: Number(REDIS_PORT), lazyConnect: true });
  await ioredis.connect();
  await ioredis.get('ioredis-key');
  ioredis.disconnect();
  const redis = createClient({ socket: { host: '127.0.0.1', port: Number(REDIS_PORT) } });
  await redis.connect();
  await redis.get('node-redis-key');
  await redis.close();
  const client = new pg.Client({
    host: '127.0.0.1',
    port: Number(PG_PORT),
    user: 'postgres',
    database: 'postgres',
  });
  await client.connect();
  await client.query('SELECT $1::int AS one', [1]);
  await client.query('SELECT * FROM missing_table').catch(() => {});
  await client.end();
})
  .then(() => telemetry.forceFlush())
  .then(() => reportSpans(exporter))
  .finally(() => telemetry.shutdown());
