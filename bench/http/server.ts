// One benchmark server, in its own process: `node server.ts <framework> <arm>`.
// Arms: `plain` (no telemetry), `otelkit` (setup() + our adapter), `auto`
// (@opentelemetry/auto-instrumentations-node, plus @fastify/otel for Fastify).
// Prints `{"port":N}` once listening on 127.0.0.1. Exports go to the sink at
// OTEL_EXPORTER_OTLP_ENDPOINT, set by the runner.
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

const [framework, arm] = process.argv.slice(2) as [string, 'plain' | 'otelkit' | 'auto'];
const require = createRequire(import.meta.url);

if (arm === 'auto') {
  // Starts the NodeSDK with every auto-instrumentation; frameworks are required
  // afterwards, so that the CommonJS hooks patch them.
  await import('@opentelemetry/auto-instrumentations-node/register');
} else if (arm === 'otelkit') {
  const { setup } = await import('otelkit/setup');
  setup({
    service: { name: `bench-${framework}` },
    handleSignals: true,
    // Unset: setup()'s default for this machine; `true`/`false` force it.
    ...(process.env.BENCH_EXPORT_IN_WORKER
      ? { exportInWorker: process.env.BENCH_EXPORT_IN_WORKER === 'true' }
      : {}),
  });
}

const HELLO = 'hello world';
let server: Server;

if (framework === 'fastify') {
  const Fastify = require('fastify') as typeof import('fastify').default;
  const app = Fastify();
  if (arm === 'otelkit') {
    const { otelkitPlugin } = await import('otelkit/fastify');
    await app.register(otelkitPlugin);
  } else if (arm === 'auto') {
    const { FastifyOtelInstrumentation } =
      require('@fastify/otel') as typeof import('@fastify/otel');
    await app.register(new FastifyOtelInstrumentation().plugin());
  }
  app.get('/hello/:name', async () => HELLO);
  await app.listen({ port: 0, host: '127.0.0.1' });
  server = app.server;
} else if (framework === 'express') {
  const express = require('express') as typeof import('express');
  const app = express();
  if (arm === 'otelkit') {
    const { otelkitMiddleware, otelkitErrorHandler } = await import('otelkit/express');
    app.use(otelkitMiddleware());
    app.get('/hello/:name', (_req, res) => {
      res.send(HELLO);
    });
    app.use(otelkitErrorHandler());
  } else {
    app.get('/hello/:name', (_req, res) => {
      res.send(HELLO);
    });
  }
  server = app.listen(0, '127.0.0.1');
} else if (framework === 'hono') {
  const { Hono } = require('hono') as typeof import('hono');
  const { serve } = require('@hono/node-server') as typeof import('@hono/node-server');
  const app = new Hono();
  if (arm === 'otelkit') {
    const { otelkitMiddleware } = await import('otelkit/hono');
    app.use(otelkitMiddleware());
  }
  app.get('/hello/:name', (c) => c.text(HELLO));
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
} else {
  throw new Error(`unknown framework ${framework}`);
}

if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
