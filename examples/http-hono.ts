// Hono on Node with otelkit/hono: the middleware for spans and the safe answer
// to a failing handler; Hono still prints the error, as it does without otelkit.
// expect-output: GET /users/9 -> 200 {"id":"9"}
// expect-output: GET /boom -> 500 {"error":"Internal Server Error","traceId":"
// expect-stderr: Error: cache unavailable
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { otelkitMiddleware } from 'otelkit/hono';
import { setup } from 'otelkit/setup';

const telemetry = setup({
  service: { name: 'users-api', version: '1.0.0' },
  exporter: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none',
});

const app = new Hono();
app.use(otelkitMiddleware({ sla: { 'GET /users/:id': 100 } }));
app.get('/users/:id', (c) => c.json({ id: c.req.param('id') }));
app.get('/boom', () => {
  throw new Error('cache unavailable');
});

const { promise: listening, resolve } = Promise.withResolvers<number>();
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
  resolve(info.port),
);
const port = await listening;
for (const path of ['/users/9', '/boom']) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  console.log(`GET ${path} -> ${response.status} ${await response.text()}`);
}
server.close();
await telemetry.shutdown();
