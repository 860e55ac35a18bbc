import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { close, eventually, listen, request } from '../test-support/http-client.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { otelkitMiddleware as expressMiddleware, otelkitErrorHandler } from './adapters/express.ts';
import { otelkitPlugin } from './adapters/fastify.ts';
import { otelkitMiddleware as honoMiddleware } from './adapters/hono.ts';
import { instrumentHandler } from './adapters/node-http.ts';

interface App {
  url: string;
  close(): Promise<void>;
}

const apps: Record<string, () => Promise<App>> = {
  'node:http': async () => {
    const server = createServer(
      instrumentHandler(
        (req, res) => {
          if (req.url?.startsWith('/boom')) throw new Error('boom');
          res.end('ok');
        },
        { route: (req) => (req.url?.startsWith('/users/') ? '/users/:id' : req.url) },
      ),
    );
    const url = await listen(server);
    return { url, close: () => close(server) };
  },
  fastify: async () => {
    const app = Fastify();
    await app.register(otelkitPlugin);
    app.get('/users/:id', async () => 'ok');
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
  express: async () => {
    const app = express();
    app.use(expressMiddleware());
    app.get('/users/:id', (_req, res) => {
      res.send('ok');
    });
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.use(otelkitErrorHandler());
    const server = app.listen(0, '127.0.0.1');
    const url = await listen(server);
    return { url, close: () => close(server) };
  },
  hono: async () => {
    const app = new Hono();
    app.use(honoMiddleware());
    app.get('/users/:id', (c) => c.text('ok'));
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.onError((error) => {
      throw error;
    });
    const { promise, resolve } = Promise.withResolvers<string>();
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    const url = await promise;
    return { url, close: () => new Promise<void>((done) => server.close(() => done())) };
  },
};

// One instrumentation for the file: it patches `http` when required after enable().
const instrumentation = new HttpInstrumentation({ enabled: false });
beforeAll(() => {
  instrumentation.enable();
  createRequire(import.meta.url)('node:http');
});
afterAll(() => instrumentation.disable());

describe.each(Object.keys(apps))('%s with @opentelemetry/instrumentation-http active', (name) => {
  let telemetry: TestTelemetry;
  let app: App;
  beforeAll(async () => {
    telemetry = createTestTelemetry();
    instrumentation.setTracerProvider(telemetry.tracerProvider);
    instrumentation.setMeterProvider(telemetry.meterProvider);
    app = await apps[name]!();
  });
  afterAll(async () => {
    await app.close();
    await telemetry.shutdown();
  });
  beforeEach(() => telemetry.reset());

  const serverSpans = () => telemetry.spans().filter((s) => s.kind === SpanKind.SERVER);

  it('enriches the instrumentation span instead of opening a second one', async () => {
    const response = await request(`${app.url}/users/42?token=abc`, {
      headers: { 'x-request-id': 'enrich-1' },
    });
    expect(response.headers.get('x-request-id')).toBe('enrich-1');
    const span = await eventually(() => {
      const spans = serverSpans();
      expect(spans).toHaveLength(1);
      return spans[0]!;
    });
    expect(span.instrumentationScope.name).toBe('@opentelemetry/instrumentation-http');
    expect(span.name).toBe('GET /users/:id');
    expect(span.attributes).toMatchObject({
      'http.route': '/users/:id',
      'request.id': 'enrich-1',
      'url.query': 'token=REDACTED',
      'http.response.status_code': 200,
    });
  });

  it('marks a recovered failure on that one span, and the duration is recorded once', async () => {
    const response = await request(`${app.url}/boom`);
    expect(response.status).toBe(500);
    const span = await eventually(() => {
      const spans = serverSpans();
      expect(spans).toHaveLength(1);
      return spans[0]!;
    });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events.map((e) => e.name)).toContain('exception');
    const metrics = (await telemetry.collectMetrics()).filter(
      (m) => m.descriptor.name === 'http.server.request.duration',
    );
    expect(metrics).toHaveLength(1);
    const routes = metrics[0]!.dataPoints.map((p) => p.attributes['http.route']);
    expect(routes).toContain('/boom');
  });
});
