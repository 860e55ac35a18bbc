import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { instrumentHandler } from 'otelkit/http';

export interface MailServiceOptions {
  /** Share of requests answered 503. @default 0.3 */
  failureRate?: number;
  /** Share of requests answered after a slow pause. @default 0.1 */
  slowRate?: number;
  /** How slow a slow answer is, ms. @default 400 */
  slowMs?: number;
  /** Where the failures and pauses are drawn from. @default Math.random */
  random?: () => number;
}

/**
 * A flaky mail provider on 127.0.0.1, as real dependencies are: it fails
 * about 30% of the time with 503 and sometimes answers slowly. It runs in the
 * service's process but speaks real HTTP, and it is instrumented too, so its
 * server spans continue the caller's trace through `traceparent`.
 */
export async function startMailService(options: MailServiceOptions = {}) {
  const { failureRate = 0.3, slowRate = 0.1, slowMs = 400, random = Math.random } = options;
  const server: Server = createServer(
    instrumentHandler(
      async (req, res) => {
        for await (const _ of req) {
          // drain the body
        }
        if (req.method !== 'POST' || req.url !== '/send') {
          res.writeHead(404).end();
          return;
        }
        if (random() < slowRate) await sleep(slowMs);
        if (random() < failureRate) {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end('{"error":"mail provider overloaded"}');
          return;
        }
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}');
      },
      { route: () => '/send' },
    ),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
