// The hello-world app of each framework, with the arm's instrumentation.
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { ArmName, Framework } from './arms.ts';
import type { OfficialRoute } from './official-route.ts';

const require = createRequire(import.meta.url);
const HELLO = 'hello world';
/** The route the load requests, as `/hello/:name`. */
export const PATH = '/hello/world';

/**
 * Builds the app and listens on 127.0.0.1 on a free port. The frameworks are
 * loaded here, after the arm's telemetry started, so that module hooks apply.
 */
export async function createApp(
  framework: Framework,
  arm: ArmName,
  official: OfficialRoute | undefined,
): Promise<Server> {
  const server = await build(framework, arm, official);
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  return server;
}

async function build(
  framework: Framework,
  arm: ArmName,
  official: OfficialRoute | undefined,
): Promise<Server> {
  if (framework === 'fastify') {
    const Fastify = require('fastify') as typeof import('fastify').default;
    const app = Fastify();
    if (arm === 'otelkit') {
      const { otelkitPlugin } = await import('otelkit/fastify');
      await app.register(otelkitPlugin);
    } else if (official?.fastify) {
      await app.register(official.fastify.plugin());
    }
    app.get('/hello/:name', async () => HELLO);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server;
  }
  if (framework === 'express') {
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
    return app.listen(0, '127.0.0.1');
  }
  if (framework === 'hono') {
    // Imported as ESM, as Hono apps are written: an app built from Hono's CommonJS
    // copy is not the Hono that otelkit/hono's ESM imports know.
    const { Hono } = await import('hono');
    const { serve } = await import('@hono/node-server');
    const app = new Hono();
    if (arm === 'otelkit') {
      const { otelkitMiddleware } = await import('otelkit/hono');
      app.use(otelkitMiddleware());
    } else if (arm === 'official') {
      const { httpInstrumentationMiddleware } = await import('@hono/otel');
      app.use(httpInstrumentationMiddleware());
    }
    app.get('/hello/:name', (c) => c.text(HELLO));
    return serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  }
  const { createServer } = require('node:http') as typeof import('node:http');
  const hello = (_req: unknown, res: import('node:http').ServerResponse) => {
    res.setHeader('content-type', 'text/plain');
    res.end(HELLO);
  };
  if (arm === 'otelkit') {
    const { instrumentHandler } = await import('otelkit/http');
    return createServer(instrumentHandler(hello, { route: () => '/hello/:name' })).listen(
      0,
      '127.0.0.1',
    );
  }
  return createServer(hello).listen(0, '127.0.0.1');
}
