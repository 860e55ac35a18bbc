import { SeverityNumber, SpanKind, trace } from '@opentelemetry/api';
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../logs/pino/create-logger.ts';
import { describeFrameworkAnswers, THROWN } from '../../test-support/framework-answers.ts';
import {
  databaseDown,
  describeAdapterContract,
  errorLineStream,
  teapot,
  userBody,
} from '../../test-support/http-adapter-contract.ts';
import { eventually, request } from '../../test-support/http-client.ts';
import { createTestTelemetry, type TestTelemetry } from '../../testing/index.ts';
import { otelkitPlugin } from './fastify.ts';

describeAdapterContract(
  'fastify',
  async (options) => {
    const errorLines: string[] = [];
    // The app's logger is otelkit/pino's: Fastify's own error line goes through it.
    const app = Fastify({ loggerInstance: createLogger(errorLineStream(errorLines)) });
    await app.register(otelkitPlugin, options);
    app.get<{ Params: { id: string } }>('/users/:id', async (request) =>
      userBody(request.params.id),
    );
    app.get('/boom', () => {
      throw databaseDown();
    });
    app.get('/reject', async () => {
      await Promise.resolve();
      throw databaseDown();
    });
    app.get('/healthz', async () => 'ok');
    app.post<{ Body: Record<string, unknown> }>('/echo', async (request) => ({
      size: Object.keys(request.body).length,
      traced: trace.getActiveSpan() !== undefined,
    }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, errorLines, close: () => app.close() };
  },
  { correlatedErrorLog: true, unrecovered: 'framework-answers' },
);

describeFrameworkAnswers('fastify', async (withOtelkit) => {
  const app = Fastify();
  if (withOtelkit) await app.register(otelkitPlugin);
  app.get<{ Params: { index: string } }>('/throw/:index', (request) => {
    throw THROWN[Number(request.params.index)]!.value();
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
});

describe("fastify: the framework's own log lines", () => {
  let telemetry: TestTelemetry;
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    {
      level: 'info',
      // Fastify logs the request and the response: enough to find them.
      serializers: { req: (req: { url: string }) => req.url, res: () => undefined },
    } as never,
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    telemetry = createTestTelemetry();
    const app = Fastify({ loggerInstance: logger });
    await app.register(otelkitPlugin);
    app.get('/users/:id', async () => ({ ok: true }));
    app.get('/boom', async () => {
      throw databaseDown();
    });
    app.get('/teapot', async () => {
      throw teapot();
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    close = () => app.close();
  });
  afterAll(async () => {
    await close();
    await telemetry.shutdown();
  });
  beforeEach(() => {
    telemetry.reset();
    lines.length = 0;
  });

  const serverSpan = () =>
    eventually(() => {
      const span = telemetry.spans().find((s) => s.kind === SpanKind.SERVER);
      expect(span).toBeDefined();
      return span!;
    });

  it('correlates "incoming request" and "request completed" with the server span', async () => {
    await request(`${url}/users/1`);
    const { traceId, spanId } = (await serverSpan()).spanContext();
    const completed = await eventually(() => {
      const line = lines.find((l) => l.msg === 'request completed');
      expect(line).toBeDefined();
      return line!;
    });
    const incoming = lines.find((l) => l.msg === 'incoming request');
    expect(incoming).toMatchObject({ trace_id: traceId, span_id: spanId, req: '/users/1' });
    expect(completed).toMatchObject({ trace_id: traceId, span_id: spanId });
  });

  it('keeps its level-50 line for a handler that throws, correlated, and exports it as a log record', async () => {
    const response = await request(`${url}/boom`);
    expect(response.status).toBe(500);
    const { traceId, spanId } = (await serverSpan()).spanContext();
    const line = await eventually(() => {
      const found = lines.find((l) => l.level === 50);
      expect(found).toBeDefined();
      return found!;
    });
    expect(line).toMatchObject({ msg: 'database down', trace_id: traceId, span_id: spanId });
    const err = line.err as { type: string; message: string; stack: string };
    expect(err.type).toBe('Error');
    expect(err.stack).toContain('database down');
    expect(JSON.stringify(err)).toContain('connection refused');
    const record = await eventually(() => {
      const found = telemetry.logs().find((r) => r.severityNumber === SeverityNumber.ERROR);
      expect(found).toBeDefined();
      return found!;
    });
    expect(record.spanContext?.traceId).toBe(traceId);
    expect(JSON.stringify(record.attributes)).toContain('connection refused');
  });

  it('logs a thrown 4xx at info, as Fastify does', async () => {
    const response = await request(`${url}/teapot`);
    expect(response.status).toBe(418);
    const { traceId } = (await serverSpan()).spanContext();
    expect(lines.find((l) => l.msg === 'no coffee here')).toMatchObject({
      level: 30,
      trace_id: traceId,
    });
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });
});

describe('fastify with recover: false', () => {
  it("leaves the answer and the log line to Fastify's own error handling", async () => {
    const telemetry = createTestTelemetry();
    const lines: Record<string, unknown>[] = [];
    const app = Fastify({
      loggerInstance: createLogger({ write: (line: string) => void lines.push(JSON.parse(line)) }),
    });
    await app.register(otelkitPlugin, { recover: false });
    app.get('/boom', async () => {
      throw databaseDown();
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const response = await request(`${url}/boom`);
      expect(response.status).toBe(500);
      expect(JSON.parse(response.body)).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'database down',
      });
      expect(lines.filter((l) => l.level === 50).map((l) => l.msg)).toEqual(['database down']);
      const span = await eventually(() => telemetry.spans()[0]!);
      expect(span.events.map((e) => e.name)).toContain('exception');
    } finally {
      await app.close();
      await telemetry.shutdown();
    }
  });
});

describe("fastify: the app's own error handler", () => {
  let telemetry: TestTelemetry;
  beforeAll(() => {
    telemetry = createTestTelemetry();
  });
  afterAll(() => telemetry.shutdown());

  it.each(['before', 'after'] as const)(
    'keeps its place and its answer when set %s the plugin, without a Fastify warning',
    async (when) => {
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(warning.message);
      process.on('warning', onWarning);
      // Overriding an error handler would throw here rather than warn.
      const app = Fastify({ allowErrorHandlerOverride: false });
      const own = (
        _error: unknown,
        _request: unknown,
        reply: { code(n: number): { send(b: unknown): void } },
      ) => reply.code(503).send({ custom: true, retryIn: 5 });
      try {
        if (when === 'before') app.setErrorHandler(own);
        await app.register(otelkitPlugin);
        if (when === 'after') app.setErrorHandler(own);
        app.get('/boom', async () => {
          throw databaseDown();
        });
        const url = await app.listen({ port: 0, host: '127.0.0.1' });
        const response = await request(`${url}/boom`);
        expect(response.status).toBe(503);
        expect(JSON.parse(response.body)).toEqual({ custom: true, retryIn: 5 });
        const span = await eventually(() => telemetry.spans().find((s) => s.name === 'GET /boom')!);
        expect(span.events.map((e) => e.name)).toContain('exception');
        await new Promise((resolve) => setImmediate(resolve));
        expect(warnings.filter((w) => /error ?handler/i.test(w))).toEqual([]);
      } finally {
        process.off('warning', onWarning);
        telemetry.reset();
        await app.close();
      }
    },
  );
});
