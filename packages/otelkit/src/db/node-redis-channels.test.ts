import { type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../export/test-support/closed-port.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { withSpan } from '../trace/with-span.ts';
import { insideServerRequest } from './test-support/inside-server-request.ts';
import { startRedis } from './test-support/redis-server.ts';
import { skipWithout, type TestServer } from './test-support/server-process.ts';
import { traceDatabases } from './trace-databases.ts';

type Redis = typeof import('redis');

// The lowest release that publishes the channels, and the current one.
const CLIENTS: [string, () => Promise<Redis>][] = [
  ['redis 5.12.0', async () => (await import('redis-5.12')) as unknown as Redis],
  ['redis (current)', () => import('redis')],
];

const dbSpans = (telemetry: TestTelemetry) =>
  telemetry.spans().filter((span) => span.kind === SpanKind.CLIENT);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan | Span) => span.spanContext().spanId;

describe.skipIf(skipWithout('redis-server', 'redis-server'))(
  'node-redis traced from its tracing channels',
  () => {
    let server: TestServer;
    let telemetry: TestTelemetry;
    let untrace: () => void;

    beforeAll(async () => {
      server = await startRedis();
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

    describe.each(CLIENTS)('%s', (_label, load) => {
      let client: ReturnType<Redis['createClient']>;

      beforeAll(async () => {
        const redis = await load();
        client = redis.createClient({ socket: { host: server.host, port: server.port } });
        await client.connect();
      });
      afterAll(() => client?.close());

      it('traces a command inside a server request as its child, with the key and never the value', async () => {
        await insideServerRequest(async () => {
          await client.set('user:1', 'secret-value');
          return client.get('user:1');
        });
        const request = telemetry.spans().find((span) => span.kind === SpanKind.SERVER)!;
        const [set, get] = dbSpans(telemetry);
        expect(set!.name).toBe('SET');
        expect(get!.name).toBe('GET');
        expect(parentOf(set!)).toBe(idOf(request));
        expect(parentOf(get!)).toBe(idOf(request));
        expect(set!.attributes).toMatchObject({
          'db.system.name': 'redis',
          'db.namespace': '0',
          'db.operation.name': 'SET',
          'db.query.text': 'SET user:1 ?',
          'server.address': '127.0.0.1',
          'server.port': server.port,
        });
        expect(get!.attributes['db.query.text']).toBe('GET user:1');
        expect(JSON.stringify(telemetry.spans().map((s) => s.attributes))).not.toContain('secret');
        const metric = await telemetry.findMetric('db.client.operation.duration');
        expect(
          metric!.dataPoints.map((point) => point.attributes['db.operation.name']).sort(),
        ).toEqual(['GET', 'SET']);
      });

      it('traces a pipeline as one span with its commands as children', async () => {
        await withSpan('warm cache', () =>
          client.multi().set('a', '1').get('a').incr('counter').execAsPipeline(),
        );
        const pipeline = dbSpans(telemetry).find((span) => span.name === 'PIPELINE')!;
        expect(parentOf(pipeline)).toBe(idOf(telemetry.findSpan('warm cache')!));
        expect(pipeline.attributes['db.operation.batch.size']).toBe(3);
        expect(pipeline.attributes['db.operation.name']).toBe('PIPELINE');
        const commands = dbSpans(telemetry).filter((span) => parentOf(span) === idOf(pipeline));
        expect(commands.map((span) => span.attributes['db.query.text'])).toEqual([
          'SET a ?',
          'GET a',
          'INCR counter',
        ]);
      });

      it('traces a MULTI transaction as one span', async () => {
        await withSpan('checkout', () => client.multi().incr('stock').decr('stock').exec());
        const multi = dbSpans(telemetry).find((span) => span.name === 'MULTI')!;
        expect(parentOf(multi)).toBe(idOf(telemetry.findSpan('checkout')!));
        expect(multi.attributes['db.operation.batch.size']).toBe(2);
        expect(multi.status.code).toBe(SpanStatusCode.UNSET);
      });

      it('records an error reply with its prefix, and passes the error through', async () => {
        await client.set('plain', 'text');
        const thrown = await client.lPush('plain', 'x').catch((error: unknown) => error);
        expect((thrown as Error).message).toMatch(/^WRONGTYPE/);
        const failed = dbSpans(telemetry).find((span) => span.name === 'LPUSH')!;
        expect(failed.status.code).toBe(SpanStatusCode.ERROR);
        expect(failed.attributes['error.type']).toBe('WRONGTYPE');
        expect(failed.attributes['db.response.status_code']).toBe('WRONGTYPE');
        expect(failed.attributes['db.query.text']).toBe('LPUSH plain ?');
        expect(failed.events.some((event) => event.name === 'exception')).toBe(true);
      });

      it("keeps the driver's own handshake inside the connect span: the app's trace holds its commands, none failed", async () => {
        const redis = await load();
        const fresh = redis.createClient({ socket: { host: server.host, port: server.port } });
        try {
          await withSpan('startup', async () => {
            await fresh.connect();
            await fresh.get('greeting');
          });
        } finally {
          fresh.destroy();
        }
        const startup = telemetry.findSpan('startup')!;
        const children = dbSpans(telemetry).filter((span) => parentOf(span) === idOf(startup));
        expect(children.map((span) => span.name)).toEqual(['connect', 'GET']);
        expect(
          dbSpans(telemetry).filter((span) => span.status.code === SpanStatusCode.ERROR),
        ).toEqual([]);
      });

      it('records a refused connection on its connect span', async () => {
        const redis = await load();
        const port = await closedPort();
        const refused = redis.createClient({
          socket: { host: '127.0.0.1', port, reconnectStrategy: false },
        });
        refused.on('error', () => {});
        const thrown = await withSpan('startup', () => refused.connect()).catch((e: unknown) => e);
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
