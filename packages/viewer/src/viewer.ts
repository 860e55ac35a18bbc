import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApi } from './api/api.ts';
import { createReceiver } from './receiver/receiver.ts';
import { type Refusal, RefusalReporter } from './receiver/refusal-reporter.ts';
import { createCors } from './server/cors.ts';
import { isLoopback } from './server/host-check.ts';
import { createRouter } from './server/router.ts';
import { RetentionSchedule } from './store/retention-schedule.ts';
import { Store } from './store/store.ts';
import { TurnScheduler } from './store/turn-scheduler.ts';
import { WriteQueue } from './store/write-queue.ts';
import { createUiHandler } from './ui/assets.ts';
import { resolveViewerOptions, type Viewer, type ViewerOptions } from './viewer-options.ts';

const retentionIntervalMs = 10_000;

/**
 * Starts the viewer: the OTLP/HTTP receiver, the SQLite store, the JSON API and the page, on
 * one port.
 * @example
 * const viewer = await startViewer({ port: 0, db: ':memory:' });
 * // export OTLP to `${viewer.url}/v1/traces`, open viewer.url in a browser
 * await viewer.close();
 */
export async function startViewer(options: ViewerOptions = {}): Promise<Viewer> {
  const resolved = resolveViewerOptions(options);
  const store = Store.open({
    path: resolved.db,
    maxSpans: resolved.maxSpans,
    maxAgeMs: resolved.maxAgeMs,
  });
  const retention = new RetentionSchedule(store, {
    intervalMs: retentionIntervalMs,
    onError: resolved.onError,
  });
  const turns = new TurnScheduler();
  const schedule = <T>(task: () => T) => turns.run(task);
  const queue = new WriteQueue(store, {
    schedule,
    afterWrite: () => {
      if (store.overSpanLimit) retention.poke();
    },
  });
  const refusals = new RefusalReporter(resolved.onRefusal);
  const onRefusal = (refusal: Refusal) => refusals.report(refusal);
  const server = createServer(
    { requestTimeout: 60_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 },
    createRouter({
      receiver: createReceiver({
        maxBodyBytes: resolved.maxBodyBytes,
        maxAgeMs: resolved.maxAgeMs,
        ingest: (batch) => queue.write(batch),
        schedule,
        onError: resolved.onError,
        onRefusal,
      }),
      api: createApi(store),
      ui: createUiHandler(),
      cors: createCors(resolved.cors, onRefusal),
      loopbackOnly: isLoopback(resolved.host),
      onError: resolved.onError,
    }),
  );
  server.on('clientError', (_error, socket) => socket.destroy());
  try {
    server.listen(resolved.port, resolved.host);
    await once(server, 'listening');
  } catch (error) {
    retention.close();
    refusals.close();
    store.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const urlHost = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    host: resolved.host,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        retention.close();
        refusals.close();
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
