// An ES module app using pg, started with `--import ./pg-telemetry.mjs`.
import { withSpan } from 'otelkit';
import pg from 'pg';
import { exporter, telemetry } from './pg-telemetry.mjs';
import reporting from './report-spans.cjs';

const pool = new pg.Pool({
  host: '127.0.0.1',
  port: Number(process.env.PG_PORT),
  user: 'postgres',
  database: 'postgres',
});
await withSpan('job', async () => {
  await pool.query('SELECT $1::int AS one', [1]);
  await pool.query('SELECT * FROM missing_table').catch(() => {});
});
await pool.end();
await telemetry.forceFlush();
reporting.reportSpans(exporter);
await telemetry.shutdown();
