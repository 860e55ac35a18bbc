import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { setup } from 'otelkit/setup';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../../../packages/otelkit/src/db/test-support/redis-server.ts';
import {
  skipWithout,
  type TestServer,
} from '../../../../packages/otelkit/src/db/test-support/server-process.ts';
import { buildApp } from './app.ts';
import { createMailClient } from './mail-client.ts';
import { createMetrics } from './metrics.ts';
import { UserCache } from './user-cache.ts';
import { UsersRepository } from './users-repository.ts';

describe.skipIf(skipWithout('redis-server', 'redis-server'))('users-api with REDIS_URL', () => {
  let redis: TestServer;
  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterAll(() => redis?.stop());

  it('reads a user from SQLite on a miss, from Redis on a hit, and the traces show which', async () => {
    const exporter = new InMemorySpanExporter();
    const telemetry = setup({ exporter: 'none', traces: { exporter } });
    const metrics = createMetrics();
    const app = await buildApp({
      users: new UsersRepository(':memory:', 3),
      cache: await UserCache.connect(`redis://127.0.0.1:${redis.port}`),
      mail: createMailClient('http://127.0.0.1:9', metrics),
      metrics,
      logger: pino({ level: 'silent' }),
    });
    try {
      const miss = await app.inject({ url: '/users/2' });
      const hit = await app.inject({ url: '/users/2' });
      expect(hit.json()).toEqual(miss.json());
    } finally {
      await app.close();
      await telemetry.forceFlush();
    }
    // Read before shutdown, which empties the in-memory exporter.
    const spans = exporter.getFinishedSpans();
    await telemetry.shutdown();
    const requests = spans.filter((span) => span.name === 'GET /users/:id');
    const traceOf = (request: (typeof requests)[number]) =>
      spans.filter((span) => span.spanContext().traceId === request.spanContext().traceId);
    const cacheHit = (request: (typeof requests)[number]) =>
      traceOf(request).find((span) => 'app.cache.hit' in span.attributes)?.attributes[
        'app.cache.hit'
      ];
    expect(requests.map(cacheHit)).toEqual([false, true]);
    const inRequest = (request: (typeof requests)[number]) =>
      traceOf(request)
        .filter((span) => span.kind === SpanKind.CLIENT)
        .map((span) => span.attributes['db.query.text'] ?? span.name);
    expect(inRequest(requests[0]!)).toEqual([
      'GET users:2',
      'SELECT id, name, email, created_at FROM users WHERE id = ?',
      'SET users:2 ? ? ?',
    ]);
    expect(inRequest(requests[1]!)).toEqual(['GET users:2']);
  });
});
