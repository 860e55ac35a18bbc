import { trace } from '@opentelemetry/api';
import Fastify, { type FastifyInstance } from 'fastify';
import { BatchPipeline, runDetached, withSla, withTimeout } from 'otelkit';
import { otelkitPlugin } from 'otelkit/fastify';
import type { Logger } from 'pino';
import { ApiError } from './errors.ts';
import type { createMailClient } from './mail-client.ts';
import type { Metrics } from './metrics.ts';
import { renderReport } from './report.ts';
import { sla } from './slo.ts';
import type { UserCache } from './user-cache.ts';
import type { User, UsersRepository } from './users-repository.ts';
import { parseNewUser, parseUserId } from './validation.ts';

export interface AppDependencies {
  users: UsersRepository;
  /** Caches user reads in Redis when `REDIS_URL` is set. */
  cache?: UserCache;
  mail: ReturnType<typeof createMailClient>;
  metrics: Metrics;
  logger: Logger;
  /** Every request's deadline, ms. @default 2000 */
  requestTimeoutMs?: number;
}

interface AuditEntry {
  action: string;
  userId?: number;
  traceId?: string;
}

/** The users service: Fastify with otelkit's plugin, SQLite behind it, a flaky mail provider. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance & AsyncDisposable> {
  const { users, cache, mail, metrics, logger, requestTimeoutMs = 2000 } = deps;
  const readUser = async (id: number): Promise<User | undefined> =>
    cache ? cache.read(id, () => users.get(id)) : users.get(id);
  const audit = new BatchPipeline<AuditEntry>({
    name: 'audit',
    maxBatchSize: 50,
    maxDelayMs: 250,
    process: async (entries) => users.writeAudit(entries),
  });
  const record = (action: string, userId?: number) => {
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    audit.push({
      action,
      ...(userId === undefined ? {} : { userId }),
      ...(traceId ? { traceId } : {}),
    });
  };
  // Every handler runs under the request's deadline: the signal travels in the
  // context to the database and the mail client through currentSignal().
  const deadline = <T>(fn: () => Promise<T>) =>
    withTimeout(requestTimeoutMs, fn, {
      cause: new ApiError('request deadline exceeded', 'timeout', 'DEADLINE'),
    });

  const app = Fastify({ logger: false });
  await app.register(otelkitPlugin, {
    // The latency targets the SLO file is written from: one source of truth.
    sla,
    ignore: ['/health'],
  });
  app.addHook('onError', async (_request, _reply, error) => {
    // Only failures of ours: 4xx answers are the client's mistake, not an error log.
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) logger.error({ err: error }, 'request failed');
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.add(1, { 'http.route': route, 'http.response.status_code': reply.statusCode });
  });

  // Detached work still running: the main job waits for none before it stops the service.
  const pending = new Set<Promise<unknown>>();
  app.get('/health', async () => ({ ok: true, pendingBackgroundTasks: pending.size }));

  app.get<{ Querystring: { limit?: string; offset?: string } }>('/users', (request) =>
    deadline(async () => {
      const limit = Math.min(Number(request.query.limit ?? 20) || 20, 100);
      const offset = Math.max(Number(request.query.offset ?? 0) || 0, 0);
      return { users: users.list(limit, offset), limit, offset };
    }),
  );

  app.get<{ Params: { id: string } }>('/users/:id', (request) =>
    deadline(() =>
      withSla('user.lookup', { targetMs: 200, timeoutMs: 1000 }, async () => {
        const id = parseUserId(request.params.id);
        const user = await readUser(id);
        if (!user) {
          logger.warn({ userId: id }, 'user not found');
          throw new ApiError(`user ${id} not found`, 'not_found', 'USER_NOT_FOUND');
        }
        record('read', id);
        return user;
      }),
    ),
  );

  app.post('/users', async (request, reply) => {
    let input: { name: string; email: string };
    try {
      input = parseNewUser(request.body);
    } catch (error) {
      // A warning: it becomes a `log` event on the request's span as well.
      logger.warn({ reason: (error as Error).message }, 'invalid user rejected');
      throw error;
    }
    const user = await deadline(async () => users.create(input.name, input.email));
    metrics.usersCreated.add(1, {});
    record('create', user.id);
    logger.info({ userId: user.id }, 'user created');
    // The welcome mail outlives the request: detached from its cancellation,
    // linked to its span, its failure recorded and logged, never unhandled.
    const task = runDetached('welcome mail', () => mail.sendWelcome(user));
    pending.add(task);
    void task.catch(() => {}).finally(() => pending.delete(task));
    return reply.code(201).send(user);
  });

  app.delete<{ Params: { id: string } }>('/users/:id', (request, reply) =>
    deadline(async () => {
      const id = parseUserId(request.params.id);
      if (!users.delete(id))
        throw new ApiError(`user ${id} not found`, 'not_found', 'USER_NOT_FOUND');
      await cache?.forget(id);
      record('delete', id);
      return reply.code(204).send();
    }),
  );

  // A deliberate bug: some reports fail with a three-level cause chain, which
  // otelkit answers with a safe 500 and records whole on the span.
  app.get<{ Params: { id: string } }>('/users/:id/report', (request) =>
    deadline(async () => {
      const id = parseUserId(request.params.id);
      const user = await readUser(id);
      if (!user) throw new ApiError(`user ${id} not found`, 'not_found', 'USER_NOT_FOUND');
      return renderReport(user);
    }),
  );

  app.addHook('onClose', async () => {
    await audit.close();
    await cache?.close();
  });
  return Object.assign(app, { [Symbol.asyncDispose]: () => app.close() });
}
