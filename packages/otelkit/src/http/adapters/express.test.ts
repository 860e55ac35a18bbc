import { format } from 'node:util';
import { SpanKind, trace } from '@opentelemetry/api';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../logs/pino/create-logger.ts';
import { describeFrameworkAnswers, THROWN } from '../../test-support/framework-answers.ts';
import {
  databaseDown,
  describeAdapterContract,
  errorLineStream,
  userBody,
} from '../../test-support/http-adapter-contract.ts';
import { close, eventually, listen, request } from '../../test-support/http-client.ts';
import { createTestTelemetry, type TestTelemetry } from '../../testing/index.ts';
import { type ErrorLogger, otelkitErrorHandler, otelkitMiddleware } from './express.ts';

describeAdapterContract(
  'express',
  async (options) => {
    const errorLines: string[] = [];
    const app = express();
    app.use(otelkitMiddleware(options));
    app.get('/users/:id', (req, res) => {
      res.json(userBody(req.params.id));
    });
    app.get('/boom', () => {
      throw databaseDown();
    });
    app.get('/reject', async () => {
      await Promise.resolve();
      throw databaseDown();
    });
    app.get('/healthz', (_req, res) => {
      res.send('ok');
    });
    app.post('/echo', express.json(), (req, res) => {
      res.json({ size: Object.keys(req.body).length, traced: trace.getActiveSpan() !== undefined });
    });
    // The app's logger is otelkit/pino's: the ERROR line goes through it.
    app.use(otelkitErrorHandler({ logger: createLogger(errorLineStream(errorLines)) }));
    const server = app.listen(0, '127.0.0.1');
    const url = await listen(server);
    return { url, errorLines, close: () => close(server) };
  },
  { correlatedErrorLog: true, unrecovered: 'framework-answers' },
);

describeFrameworkAnswers(
  'express',
  async (withOtelkit) => {
    const app = express();
    // Both answer as in production (no stack in the page), and print their errors.
    app.set('env', 'production');
    if (withOtelkit) app.use(otelkitMiddleware());
    app.get('/throw/:index', (req) => {
      throw THROWN[Number(req.params.index)]!.value();
    });
    if (withOtelkit) app.use(otelkitErrorHandler());
    const server = app.listen(0, '127.0.0.1');
    const url = await listen(server);
    return { url, close: () => close(server) };
  },
  { quiet: true },
);

describe("express: the ERROR line of a failed request, as Express's own handler prints it", () => {
  let telemetry: TestTelemetry;
  const printed: string[] = [];
  beforeAll(() => {
    telemetry = createTestTelemetry();
  });
  afterAll(() => telemetry.shutdown());
  afterEach(() => {
    vi.restoreAllMocks();
    printed.length = 0;
  });

  async function failing(
    configure: (app: express.Express) => void,
    handler: express.ErrorRequestHandler = otelkitErrorHandler(),
  ) {
    vi.spyOn(console, 'error').mockImplementation((...args) => void printed.push(format(...args)));
    const app = express();
    configure(app);
    app.use(otelkitMiddleware());
    app.get('/boom', () => {
      throw databaseDown();
    });
    app.use(handler);
    const server = app.listen(0, '127.0.0.1');
    try {
      return await request(`${await listen(server)}/boom`);
    } finally {
      await close(server);
    }
  }

  it('prints the error with its stack and causes, as Express does outside the test env', async () => {
    const response = await failing((app) => app.set('env', 'production'));
    expect(response.status).toBe(500);
    await eventually(() => expect(printed).toHaveLength(1));
    expect(printed[0]).toContain('Error: database down');
    expect(printed[0]).toContain('[cause]: TypeError: connection refused');
  });

  it('prints nothing in the test env, as Express does', async () => {
    const response = await failing((app) => app.set('env', 'test'));
    expect(response.status).toBe(500);
    expect(printed).toEqual([]);
  });

  it("goes through the request's pino-http logger when there is one", async () => {
    const logged: unknown[] = [];
    const log: ErrorLogger = { error: (object, message) => void logged.push([object, message]) };
    await failing((app) =>
      app.use((req, _res, next) => {
        (req as unknown as { log: ErrorLogger }).log = log;
        next();
      }),
    );
    expect(logged).toEqual([
      [{ err: expect.objectContaining({ message: 'database down' }) }, 'database down'],
    ]);
    expect(printed).toEqual([]);
  });
});

describe('express route templates', () => {
  let telemetry: TestTelemetry;
  let url: string;
  let server: ReturnType<express.Express['listen']>;
  beforeAll(async () => {
    telemetry = createTestTelemetry();
    const app = express();
    app.use(otelkitMiddleware());
    const posts = express.Router({ mergeParams: true });
    posts.get('/:postId', (_req, res) => {
      res.send('post');
    });
    posts.get('/', (_req, res) => {
      res.send('posts');
    });
    const users = express.Router();
    users.use('/:userId/posts', posts);
    app.use('/users', users);
    server = app.listen(0, '127.0.0.1');
    url = await listen(server);
  });
  afterAll(async () => {
    await close(server);
    await telemetry.shutdown();
  });

  it.each([
    ['/users/42/posts/7', 'GET /users/:userId/posts/:postId'],
    ['/users/42/posts', 'GET /users/:userId/posts'],
    ['/users/43/posts/8', 'GET /users/:userId/posts/:postId'],
  ])('names %s by the template of nested routers: %s', async (path, name) => {
    telemetry.reset();
    await request(`${url}${path}`);
    const span = await eventually(() => {
      const found = telemetry.spans().find((s) => s.kind === SpanKind.SERVER);
      expect(found).toBeDefined();
      return found!;
    });
    expect(span.name).toBe(name);
    expect(span.attributes['url.path']).toBe(path);
  });
});
