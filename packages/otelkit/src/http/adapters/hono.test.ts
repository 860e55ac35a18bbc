import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import { trace } from '@opentelemetry/api';
import { Hono } from 'hono';
import {
  CONTRACT_OPTIONS,
  databaseDown,
  describeAdapterContract,
  teapot,
  userBody,
} from '../../test-support/http-adapter-contract.ts';
import type { OtelkitMiddlewareOptions } from '../http-server-options.ts';
import { otelkitErrorHandler, otelkitMiddleware } from './hono.ts';

function contractApp(
  HonoClass: typeof Hono = Hono,
  options: OtelkitMiddlewareOptions = CONTRACT_OPTIONS,
): Hono {
  const app = new HonoClass();
  app.use(otelkitMiddleware(options));
  app.get('/users/:id', (c) => c.json(userBody(c.req.param('id'))));
  app.get('/boom', () => {
    throw databaseDown();
  });
  app.get('/reject', async () => {
    await Promise.resolve();
    throw databaseDown();
  });
  app.get('/teapot', () => {
    throw teapot();
  });
  app.get('/healthz', (c) => c.text('ok'));
  app.post('/echo', async (c) => {
    const body = (await c.req.json()) as Record<string, unknown>;
    return c.json({ size: Object.keys(body).length, traced: trace.getActiveSpan() !== undefined });
  });
  return app;
}

async function start(app: Hono) {
  const { promise, resolve } = Promise.withResolvers<string>();
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    resolve(`http://127.0.0.1:${info.port}`),
  );
  const url = await promise;
  return {
    url,
    close: () =>
      new Promise<void>((done) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

describeAdapterContract(
  'hono (default onError)',
  (options) => start(contractApp(Hono, options)),
  'framework-answers',
);

// An app that requires Hono gets its CommonJS copy, whose contexts the ES module helpers cannot read.
describeAdapterContract('hono (CommonJS copy)', () => {
  const { Hono: CommonJsHono } = createRequire(import.meta.url)('hono') as typeof import('hono');
  return start(contractApp(CommonJsHono));
});

describeAdapterContract('hono (otelkitErrorHandler)', () => {
  const app = contractApp();
  app.onError(otelkitErrorHandler());
  return start(app);
});
