import Fastify, { type FastifyRequest } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { otelkitPlugin } from '../http/adapters/fastify.ts';
import { createLogger } from '../logs/pino/create-logger.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { eventually, request } from './http-client.ts';
import { attributesOf, exportedText, lineSink } from './log-line-capture.ts';

let telemetry: TestTelemetry;
let closeApp: (() => Promise<void>) | undefined;

const SECRETS = ['Bearer FASTIFY-SECRET', 'COOKIE-SECRET', 'Bearer UPSTREAM-SECRET'];

/** A request serializer that keeps the headers, as pino's standard one does. */
function withHeaders(req: FastifyRequest) {
  return { method: req.method, url: req.url, headers: req.headers };
}

async function start(out: ReturnType<typeof lineSink>): Promise<string> {
  const logger = createLogger(
    {
      redact: [
        'req.headers.authorization',
        'req.headers.cookie',
        'err.config.headers.authorization',
      ],
      serializers: { req: withHeaders },
    },
    out,
  );
  const app = Fastify({ loggerInstance: logger });
  closeApp = () => app.close();
  await app.register(otelkitPlugin);
  app.get<{ Params: { id: string } }>('/users/:id', async (req) => {
    req.log.warn({ userId: req.params.id }, 'user looked up');
    return { id: req.params.id };
  });
  app.get('/charge', async (req) => {
    const err = Object.assign(new Error('card network down'), {
      config: { headers: { authorization: 'Bearer UPSTREAM-SECRET' } },
    });
    req.log.error({ err }, 'charge failed');
    throw err;
  });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const headers = { authorization: 'Bearer FASTIFY-SECRET', cookie: 'session=COOKIE-SECRET' };

/**
 * Fastify's own request lines through createLogger() and otelkitPlugin, in a
 * real Fastify app: exported as the line shows them (method, url, status
 * code), with the logger's redaction of the headers a serializer adds. Run
 * with the newest and the oldest pino of otelkit's peer range.
 */
export function describeFastifyLines(major: number): void {
  describe(`Fastify's lines through createLogger() (pino ${major})`, () => {
    beforeEach(() => {
      telemetry = createTestTelemetry();
    });
    afterEach(async () => {
      await closeApp?.();
      closeApp = undefined;
      await telemetry.shutdown();
    });

    it("exports Fastify's default request and response fields exactly as on the line", async () => {
      const out = lineSink();
      const app = Fastify({ loggerInstance: createLogger({}, out) });
      closeApp = () => app.close();
      await app.register(otelkitPlugin);
      app.get('/ping', async () => 'pong');
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      expect((await request(`${url}/ping?x=1`)).status).toBe(200);
      const byBody = (body: string) => telemetry.logs().find((record) => record.body === body);
      await eventually(() => expect(byBody('request completed')).toBeDefined());
      const line = (msg: string) => out.parsed().find((parsed) => parsed.msg === msg);
      const incoming = byBody('incoming request');
      const completed = byBody('request completed');
      expect(attributesOf(incoming).req).toEqual(line('incoming request')?.req);
      expect(attributesOf(incoming).req).toMatchObject({ method: 'GET', url: '/ping?x=1' });
      expect(attributesOf(completed).res).toEqual({ statusCode: 200 });
      expect(completed?.attributes?.responseTime).toBe(line('request completed')?.responseTime);
      expect(incoming?.spanContext?.traceId).toBe(line('incoming request')?.trace_id);
    });

    it("exports Fastify's request lines with method, url and status code", async () => {
      const out = lineSink();
      const url = await start(out);
      expect((await request(`${url}/users/7?full=1`, { headers })).status).toBe(200);
      await eventually(() => expect(telemetry.findSpan('GET /users/:id')).toBeDefined());
      const byBody = (body: string) => telemetry.logs().find((record) => record.body === body);
      expect(attributesOf(byBody('incoming request'))).toMatchObject({
        req: {
          method: 'GET',
          url: '/users/7?full=1',
          headers: { authorization: '[Redacted]', cookie: '[Redacted]' },
        },
      });
      expect(attributesOf(byBody('request completed'))).toMatchObject({ res: { statusCode: 200 } });
      expect(byBody('request completed')?.attributes?.responseTime).toEqual(expect.any(Number));
      const span = telemetry.findSpan('GET /users/:id')!;
      for (const body of ['incoming request', 'user looked up', 'request completed']) {
        expect(byBody(body)?.spanContext?.spanId, body).toBe(span.spanContext().spanId);
      }
      expect(byBody('user looked up')?.attributes).toMatchObject({ userId: '7' });
    });

    it('lets no redacted header or error field reach the records, the span events or the span', async () => {
      const out = lineSink();
      const url = await start(out);
      await request(`${url}/users/7`, { headers });
      expect((await request(`${url}/charge`, { headers })).status).toBe(500);
      await eventually(() => expect(telemetry.findSpan('GET /charge')).toBeDefined());
      const span = telemetry.findSpan('GET /charge')!;
      // The handler's line, the error recorded, then Fastify's own error line.
      expect(span.events.map((event) => event.name)).toEqual(['log', 'exception', 'log']);
      const failed = telemetry.logs().find((record) => record.body === 'charge failed');
      expect(failed?.attributes).toMatchObject({ 'exception.message': 'card network down' });
      const fastifyLine = telemetry.logs().find((record) => record.body === 'card network down');
      expect(fastifyLine?.severityText).toBe('ERROR');
      expect(attributesOf(fastifyLine)).toMatchObject({
        req: { method: 'GET', url: '/charge', headers: { authorization: '[Redacted]' } },
        res: { statusCode: 500 },
        'exception.type': 'Error',
        'exception.message': 'card network down',
      });
      const exported = exportedText(telemetry);
      for (const secret of SECRETS) {
        expect(out.lines.join('')).not.toContain(secret);
        expect(exported).not.toContain(secret);
      }
    });
  });
}
