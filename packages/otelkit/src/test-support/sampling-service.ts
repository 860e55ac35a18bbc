// A service run as a child process by the tail sampling tests: node:http
// traced by otelkit, tail sampling on, calling the next service (if any)
// with fetch. GET /work?kind=… answers by kind: `error` fails (500), `slow`
// takes 700 ms, `fail-after` fails here after the next service answered,
// anything else succeeds. Each request also leaves a span that ends after
// the response (`late audit`). It prints {"event":"listening","url"} on
// stdout; a line on stdin shuts it down once the late spans have ended.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, trace } from '@opentelemetry/api';
import { withSpan } from 'otelkit';
import { instrumentHandler } from 'otelkit/http';
import { setup } from 'otelkit/setup';

interface Plan {
  name: string;
  endpoint: string;
  /** The next service's base URL. */
  next?: string;
  ratio: number;
  keepSlowerThanMs: number;
}

const plan = JSON.parse(process.argv[2]!) as Plan;
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
const telemetry = setup({
  service: { name: plan.name },
  endpoint: plan.endpoint,
  sampling: { ratio: plan.ratio, keepSlowerThanMs: plan.keepSlowerThanMs },
});
const late = new Set<Promise<void>>();

const server = createServer(
  instrumentHandler(
    async (req, res) => {
      const kind = new URL(req.url ?? '/', 'http://x').searchParams.get('kind') ?? 'ok';
      res.setHeader('x-trace-id', trace.getActiveSpan()?.spanContext().traceId ?? '');
      let status = 200;
      await withSpan('lookup', async () => {
        if (plan.next === undefined) return;
        const answer = await fetch(`${plan.next}/work?kind=${kind}`);
        await answer.text();
        if (answer.status >= 500) status = 502;
      });
      if (plan.next === undefined) {
        if (kind === 'slow') await sleep(700);
        if (kind === 'error') status = 500;
      } else if (kind === 'fail-after') status = 500;
      // Work that goes on after the response, in the request's trace.
      const audit = trace.getTracer('audit').startSpan('late audit', {}, context.active());
      const done = sleep(40).then(() => audit.end());
      late.add(done);
      void done.finally(() => late.delete(done));
      res.statusCode = status;
      res.end(kind);
    },
    { route: () => '/work' },
  ),
);
server.listen(0, '127.0.0.1', () => {
  say({ event: 'listening', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});

const lines = createInterface({ input: process.stdin });
for await (const _ of lines) {
  lines.close();
  await Promise.all(late);
  server.close();
  await telemetry.shutdown();
  say({ event: 'settled' });
}
