import { createRequire } from 'node:module';
import { format } from 'node:util';
import { serve } from '@hono/node-server';
import { trace } from '@opentelemetry/api';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { vi } from 'vitest';
import {
  describeFrameworkAnswers,
  THROWN,
  type Thrown,
} from '../../test-support/framework-answers.ts';
import {
  CONTRACT_OPTIONS,
  databaseDown,
  describeAdapterContract,
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
  app.get('/healthz', (c) => c.text('ok'));
  app.post('/echo', async (c) => {
    const body = (await c.req.json()) as Record<string, unknown>;
    return c.json({ size: Object.keys(body).length, traced: trace.getActiveSpan() !== undefined });
  });
  return app;
}

/** Serves `app`; what it prints with `console.error` (Hono's own error line) goes to `errorLines`. */
async function start(app: Hono) {
  const errorLines: string[] = [];
  const print = vi
    .spyOn(console, 'error')
    .mockImplementation((...args) => void errorLines.push(format(...args)));
  const { promise, resolve } = Promise.withResolvers<string>();
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    resolve(`http://127.0.0.1:${info.port}`),
  );
  const url = await promise;
  return {
    url,
    errorLines,
    close: () =>
      new Promise<void>((done) => {
        print.mockRestore();
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

// Hono prints its errors with console.error: not through a logger, not correlated.
const printed = { correlatedErrorLog: false };

describeAdapterContract('hono (default onError)', (options) => start(contractApp(Hono, options)), {
  ...printed,
  unrecovered: 'framework-answers',
});

// An app that requires Hono gets its CommonJS copy, whose contexts the ES module helpers cannot read.
describeAdapterContract(
  'hono (CommonJS copy)',
  () => {
    const { Hono: CommonJsHono } = createRequire(import.meta.url)('hono') as typeof import('hono');
    return start(contractApp(CommonJsHono));
  },
  printed,
);

describeAdapterContract(
  'hono (otelkitErrorHandler)',
  () => {
    const app = contractApp();
    app.onError(otelkitErrorHandler());
    return start(app);
  },
  printed,
);

/** The thrown values, and Hono's own kind of error: an `HTTPException`, with and without a 5xx. */
const HONO_THROWN: Thrown[] = [
  ...THROWN,
  {
    name: 'an HTTPException 401',
    value: () => new HTTPException(401, { message: 'who are you?' }),
  },
  {
    name: 'an HTTPException 503',
    value: () => new HTTPException(503, { message: 'down for maintenance' }),
  },
];

function throwingApp(withOtelkit: boolean): Hono {
  const app = new Hono();
  if (withOtelkit) app.use(otelkitMiddleware());
  app.get('/throw/:index', (c) => {
    throw HONO_THROWN[Number(c.req.param('index'))]!.value();
  });
  return app;
}

describeFrameworkAnswers('hono', (withOtelkit) => start(throwingApp(withOtelkit)), {
  thrown: HONO_THROWN,
});
