import { SpanKind, trace } from '@opentelemetry/api';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseDown,
  describeAdapterContract,
  teapot,
  userBody,
} from '../../test-support/http-adapter-contract.ts';
import { close, eventually, listen, request } from '../../test-support/http-client.ts';
import { createTestTelemetry, type TestTelemetry } from '../../testing/index.ts';
import { otelkitErrorHandler, otelkitMiddleware } from './express.ts';

describeAdapterContract(
  'express',
  async (options) => {
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
    app.get('/teapot', () => {
      throw teapot();
    });
    app.get('/healthz', (_req, res) => {
      res.send('ok');
    });
    app.post('/echo', express.json(), (req, res) => {
      res.json({ size: Object.keys(req.body).length, traced: trace.getActiveSpan() !== undefined });
    });
    app.use(otelkitErrorHandler());
    const server = app.listen(0, '127.0.0.1');
    const url = await listen(server);
    return { url, close: () => close(server) };
  },
  'framework-answers',
);

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
