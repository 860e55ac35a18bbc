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

type IoredisClass = typeof import('ioredis').Redis;

// The lowest release that publishes the channels, and the current one.
const CLIENTS: [string, () => Promise<IoredisClass>][] = [
  ['ioredis 5.11.0', async () => (await import('ioredis-5.11')).Redis as unknown as IoredisClass],
  ['ioredis (current)', async () => (await import('ioredis')).Redis],
];

const dbSpans = (telemetry: TestTelemetry) =>
  telemetry.spans().filter((span) => span.kind === SpanKind.CLIENT);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan | Span) => span.spanContext().spanId;

describe.skipIf(skipWithout('redis-server', 'redis-server'))(
  'ioredis traced from its tracing channels',
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
      let client: InstanceType<IoredisClass>;

      beforeAll(async () => {
        const Redis = await load();
        client = new Redis({ host: server.host, port: server.port, lazyConnect: true });
        await client.connect();
      });
      afterAll(() => client?.quit());

      it('traces a command inside a server request as its child, with the key and never the value', async () => {
        await insideServerRequest(async () => {
          await client.set('session:7', 'secret-token', 'EX', 60);
          return client.get('session:7');
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
          'db.query.text': 'SET session:7 ? ? ?',
          'server.address': '127.0.0.1',
          'server.port': server.port,
        });
        expect(get!.attributes['db.query.text']).toBe('GET session:7');
        expect(JSON.stringify(telemetry.spans().map((s) => s.attributes))).not.toContain('secret');
      });

      it('traces a MULTI transaction as one span in the caller’s trace', async () => {
        await withSpan('checkout', () => client.multi().incr('stock').decr('stock').exec());
        const checkout = telemetry.findSpan('checkout')!;
        const multi = dbSpans(telemetry).find(
          (span) =>
            span.name === 'MULTI' && span.attributes['db.operation.batch.size'] !== undefined,
        )!;
        expect(parentOf(multi)).toBe(idOf(checkout));
        expect(multi.attributes['db.operation.batch.size']).toBe(2);
        for (const span of dbSpans(telemetry)) {
          expect(span.spanContext().traceId).toBe(checkout.spanContext().traceId);
        }
      });

      it('traces each command of a pipeline in the caller’s trace', async () => {
        await withSpan('warm cache', () => client.pipeline().set('a', '1').get('a').exec());
        const warm = telemetry.findSpan('warm cache')!;
        const commands = dbSpans(telemetry).filter((span) => parentOf(span) === idOf(warm));
        expect(commands.map((span) => span.attributes['db.query.text'])).toEqual([
          'SET a ?',
          'GET a',
        ]);
      });

      it('records an error reply with its prefix, and passes the error through', async () => {
        await client.set('plain', 'text');
        const thrown = await client.lpush('plain', 'x').catch((error: unknown) => error);
        expect((thrown as Error).message).toMatch(/^WRONGTYPE/);
        const failed = dbSpans(telemetry).find((span) => span.name === 'LPUSH')!;
        expect(failed.status.code).toBe(SpanStatusCode.ERROR);
        expect(failed.attributes['error.type']).toBe('WRONGTYPE');
        expect(failed.attributes['db.response.status_code']).toBe('WRONGTYPE');
        expect(failed.attributes['db.query.text']).toBe('LPUSH plain ?');
      });

      it("keeps the driver's own handshake inside the connect span: the app's trace holds its commands, none failed", async () => {
        const Redis = await load();
        const fresh = new Redis({ host: server.host, port: server.port, lazyConnect: true });
        try {
          await withSpan('startup', async () => {
            await fresh.connect();
            await fresh.get('greeting');
          });
        } finally {
          fresh.disconnect();
        }
        const startup = telemetry.findSpan('startup')!;
        const children = dbSpans(telemetry).filter((span) => parentOf(span) === idOf(startup));
        expect(children.map((span) => span.name)).toEqual(['connect', 'GET']);
        expect(
          dbSpans(telemetry).filter((span) => span.status.code === SpanStatusCode.ERROR),
        ).toEqual([]);
      });

      it('records a refused connection on its connect span', async () => {
        const Redis = await load();
        const port = await closedPort();
        const refused = new Redis({
          host: '127.0.0.1',
          port,
          lazyConnect: true,
          retryStrategy: () => null,
          maxRetriesPerRequest: 0,
        });
        refused.on('error', () => {});
        const thrown = await withSpan('startup', () => refused.connect()).catch((e: unknown) => e);
        expect((thrown as Error).message).toMatch(/ECONNREFUSED|Connection is closed/);
        const connect = dbSpans(telemetry).find((span) => span.name === 'connect')!;
        expect(parentOf(connect)).toBe(idOf(telemetry.findSpan('startup')!));
        expect(connect.status.code).toBe(SpanStatusCode.ERROR);
        expect(connect.attributes['server.port']).toBe(port);
        refused.disconnect();
      });
    });
  },
);
