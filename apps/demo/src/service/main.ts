// The users service: `node --conditions=otelkit-source apps/demo/src/service/main.ts`.
// Exports traces, metrics and logs over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT
// (http://localhost:4318 by default), and prints `ready <url>` once it serves.
import { mkdirSync } from 'node:fs';
import { captureCrashes } from 'otelkit';
import { createLogger } from 'otelkit/pino';
import { setup } from 'otelkit/setup';
import { destination } from 'pino';
import { demoSeed, seededRandom } from '../seeded-random.ts';
import { buildApp } from './app.ts';
import { createMailClient } from './mail-client.ts';
import { startMailService } from './mail-service.ts';
import { createMetrics } from './metrics.ts';
import { UserCache } from './user-cache.ts';
import { UsersRepository } from './users-repository.ts';

const telemetry = setup({
  service: {
    name: 'users-api',
    version: '1.0.0',
    environment: process.env.DEMO_ENVIRONMENT ?? 'demo',
    region: 'local',
  },
  metrics: { intervalMs: Number(process.env.DEMO_METRIC_INTERVAL_MS ?? 5000) },
  handleSignals: true,
});
captureCrashes();

mkdirSync('.otelkit', { recursive: true });
const logger = createLogger(
  { level: 'info', base: { service: 'users-api' } },
  destination({ dest: process.env.DEMO_LOG_FILE ?? '.otelkit/users-api.log', sync: false }),
);
const users = new UsersRepository(process.env.DEMO_DB ?? ':memory:');
// SQLite alone by default; with REDIS_URL, user reads go through a Redis cache.
const cache = process.env.REDIS_URL ? await UserCache.connect(process.env.REDIS_URL) : undefined;
const mailService = await startMailService({
  failureRate: Number(process.env.DEMO_MAIL_FAILURE_RATE ?? 0.3),
  random: seededRandom(demoSeed()),
});
const metrics = createMetrics();
const app = await buildApp({
  users,
  cache,
  mail: createMailClient(mailService.url, metrics),
  metrics,
  logger,
});

const url = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
logger.info({ url }, 'users-api listening');
process.stdout.write(`ready ${url}\n`);

// On SIGTERM, setup()'s handler flushes telemetry and exits; close the server
// first so no request is cut in half.
process.once('SIGTERM', () => {
  void app.close().then(() => mailService.close());
});
void telemetry;
