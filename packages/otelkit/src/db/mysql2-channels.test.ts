import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../export/test-support/closed-port.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { withSpan } from '../trace/with-span.ts';
import { insideServerRequest } from './test-support/inside-server-request.ts';
import { startMariadb } from './test-support/mariadb-server.ts';
import { skipWithout, type TestServer } from './test-support/server-process.ts';
import { traceDatabases } from './trace-databases.ts';

type Mysql2 = typeof import('mysql2');
type Mysql2Promise = typeof import('mysql2/promise');

// The lowest release that publishes the channels, and the current one.
const CLIENTS: [string, () => Promise<Mysql2>, () => Promise<Mysql2Promise>][] = [
  [
    'mysql2 3.20.0',
    async () => (await import('mysql2-3.20')).default as unknown as Mysql2,
    async () => (await import('mysql2-3.20/promise')).default as unknown as Mysql2Promise,
  ],
  [
    `mysql2 (current)`,
    async () => (await import('mysql2')).default,
    async () => (await import('mysql2/promise')).default,
  ],
];

const dbSpans = (telemetry: TestTelemetry) =>
  telemetry.spans().filter((span) => span.kind === SpanKind.CLIENT);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan | Span) => span.spanContext().spanId;

describe.skipIf(skipWithout('mariadbd', 'mariadb-server'))(
  'mysql2 traced from its tracing channels',
  () => {
    let server: TestServer;
    let telemetry: TestTelemetry;
    let untrace: () => void;

    beforeAll(async () => {
      server = await startMariadb();
    }, 60_000);
    afterAll(() => server?.stop());
    beforeEach(() => {
      telemetry = createTestTelemetry();
      untrace = traceDatabases();
    });
    afterEach(async () => {
      untrace();
      await telemetry.shutdown();
    });

    describe.each(CLIENTS)('%s', (_label, loadCallbacks, loadPromises) => {
      let mysql: Mysql2Promise;
      let mysqlCallbacks: Mysql2;
      let pool: ReturnType<Mysql2Promise['createPool']>;

      beforeAll(async () => {
        mysql = await loadPromises();
        mysqlCallbacks = await loadCallbacks();
        const setupConnection = await mysql.createConnection(options());
        await setupConnection.query(
          'CREATE TABLE IF NOT EXISTS users (id INT PRIMARY KEY, name VARCHAR(40), credits INT)',
        );
        await setupConnection.query(
          "INSERT IGNORE INTO users VALUES (1, 'ada', 10), (2, 'grace', 20), (3, 'linus', 30)",
        );
        await setupConnection.end();
        pool = mysql.createPool({ ...options(), connectionLimit: 2 });
      });
      afterAll(() => pool?.end());

      function options() {
        return { host: server.host, port: server.port, user: 'root', database: 'app' };
      }

      it('traces a query inside a server request as a child of the request, with its values left out', async () => {
        const [rows] = await insideServerRequest(() =>
          pool.query('SELECT name FROM users WHERE id = ? AND name <> ?', [1, 'secret-name']),
        );
        expect(rows).toEqual([{ name: 'ada' }]);
        const request = telemetry.spans().find((span) => span.kind === SpanKind.SERVER)!;
        const query = dbSpans(telemetry).find((span) => span.name === 'SELECT users')!;
        expect(parentOf(query)).toBe(idOf(request));
        expect(query.spanContext().traceId).toBe(request.spanContext().traceId);
        expect(query.attributes).toMatchObject({
          'db.system.name': 'mariadb',
          'db.namespace': 'app',
          'db.operation.name': 'SELECT',
          'db.collection.name': 'users',
          'db.query.text': 'SELECT name FROM users WHERE id = ? AND name <> ?',
          'server.address': '127.0.0.1',
          'server.port': server.port,
        });
        expect(JSON.stringify(telemetry.spans().map((s) => s.attributes))).not.toContain(
          'secret-name',
        );
        const poolWait = dbSpans(telemetry).find((span) => span.name === 'pool connect')!;
        expect(parentOf(poolWait)).toBe(idOf(request));
      });

      it('records a failing query with the server error code and its cause chain, and passes the error through', async () => {
        const thrown = await withSpan('report', () =>
          pool.query('SELECT * FROM missing_table'),
        ).catch((error: unknown) => error);
        expect((thrown as { code: string }).code).toBe('ER_NO_SUCH_TABLE');
        const failed = dbSpans(telemetry).find((span) => span.name === 'SELECT missing_table')!;
        expect(failed.status.code).toBe(SpanStatusCode.ERROR);
        expect(failed.status.message).toContain("doesn't exist");
        expect(failed.attributes['error.type']).toBe('ER_NO_SUCH_TABLE');
        expect(failed.attributes['db.response.status_code']).toBe('1146');
        const event = failed.events.find((e) => e.name === 'exception')!;
        expect(event.attributes?.['exception.message']).toContain("doesn't exist");
        const metric = await telemetry.findMetric('db.client.operation.duration');
        const points = metric!.dataPoints.filter(
          (point) => point.attributes['error.type'] === 'ER_NO_SUCH_TABLE',
        );
        expect(points).toHaveLength(1);
        expect(points[0]!.attributes).toEqual({
          'db.system.name': 'mariadb',
          'db.operation.name': 'SELECT',
          'db.collection.name': 'missing_table',
          'server.address': '127.0.0.1',
          'server.port': server.port,
          'error.type': 'ER_NO_SUCH_TABLE',
        });
      });

      it('traces a prepared execute with its placeholders', async () => {
        await withSpan('lookup', () => pool.execute('SELECT credits FROM users WHERE id = ?', [2]));
        const lookup = telemetry.findSpan('lookup')!;
        const execute = dbSpans(telemetry).find((span) => span.name === 'SELECT users')!;
        expect(parentOf(execute)).toBe(idOf(lookup));
        expect(execute.attributes['db.query.text']).toBe('SELECT credits FROM users WHERE id = ?');
      });

      it('gives each of many concurrent requests on a small pool its own query spans', async () => {
        const ids = [1, 2, 3, 1, 2, 3];
        await Promise.all(
          ids.map((id, i) =>
            withSpan(`request ${i}`, () => pool.query('SELECT name FROM users WHERE id = ?', [id])),
          ),
        );
        for (let i = 0; i < ids.length; i++) {
          const request = telemetry.findSpan(`request ${i}`)!;
          // A request that found no idle connection also waited for a new one to connect.
          const children = dbSpans(telemetry).filter(
            (span) => parentOf(span) === idOf(request) && span.name !== 'connect',
          );
          expect(children.map((span) => span.name).sort()).toEqual([
            'SELECT users',
            'pool connect',
          ]);
        }
      });

      it('traces each statement of a transaction in the caller’s trace', async () => {
        const connection = await pool.getConnection();
        try {
          await withSpan('transfer', async () => {
            await connection.beginTransaction();
            await connection.query('UPDATE users SET credits = credits - 5 WHERE id = 1');
            await connection.query("UPDATE users SET credits = credits + 5 WHERE name = 'grace'");
            await connection.commit();
          });
        } finally {
          connection.release();
        }
        const transfer = telemetry.findSpan('transfer')!;
        const children = dbSpans(telemetry).filter((span) => parentOf(span) === idOf(transfer));
        expect(children.map((span) => span.name)).toEqual([
          'START',
          'UPDATE users',
          'UPDATE users',
          'COMMIT',
        ]);
        expect(children[2]!.attributes['db.query.text']).toBe(
          'UPDATE users SET credits = credits + ? WHERE name = ?',
        );
      });

      it('traces callback queries as children of the span active at the call', async () => {
        const connection = mysqlCallbacks.createConnection(options());
        await new Promise<void>((resolve, reject) => {
          trace.getTracer('test').startActiveSpan('callbacks', (active) => {
            connection.query('SELECT 1 + 1 AS two', (error) => {
              if (error) return reject(error);
              // Called back from the socket's events: the nested query still belongs to `callbacks`.
              connection.query('SELECT id FROM users WHERE id = 3', (nestedError) => {
                active.end();
                if (nestedError) reject(nestedError);
                else resolve();
              });
            });
          });
        });
        await new Promise((resolve) => connection.end(resolve));
        const parent = telemetry.findSpan('callbacks')!;
        const select = dbSpans(telemetry).find((s) => s.name === 'SELECT')!;
        const nested = dbSpans(telemetry).find((s) => s.name === 'SELECT users')!;
        expect(parentOf(select)).toBe(idOf(parent));
        expect(parentOf(nested)).toBe(idOf(parent));
        expect(select.attributes['db.query.text']).toBe('SELECT ? + ? AS two');
        expect(select.attributes['db.system.name']).toBe('mariadb');
      });

      it('records a refused connection on its connect span', async () => {
        const port = await closedPort();
        const thrown = await withSpan('startup', () =>
          mysql.createConnection({ host: '127.0.0.1', port, user: 'root' }),
        ).catch((error: unknown) => error);
        expect((thrown as { code: string }).code).toBe('ECONNREFUSED');
        const connect = dbSpans(telemetry).find((span) => span.name === 'connect')!;
        expect(parentOf(connect)).toBe(idOf(telemetry.findSpan('startup')!));
        expect(connect.status.code).toBe(SpanStatusCode.ERROR);
        expect(connect.attributes['error.type']).toBe('ECONNREFUSED');
        expect(connect.attributes['server.port']).toBe(port);
      });
    });
  },
);
