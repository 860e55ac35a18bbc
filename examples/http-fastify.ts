// Fastify with otelkit/fastify: one server span per request named by the
// route template, the request id echoed, and a safe 500 for a failing handler,
// which Fastify logs as it does without otelkit, here correlated by otelkit/pino.
// expect-output: GET /users/42 -> 200 {"id":"42"}
// expect-output: GET /boom -> 500 {"error":"Internal Server Error","traceId":"
// expect-output: "level":50,
// expect-output: "msg":"database down"
// expect-output: "trace_id":"
import Fastify from 'fastify';
import { otelkitPlugin } from 'otelkit/fastify';
import { createLogger } from 'otelkit/pino';
import { setup } from 'otelkit/setup';

const telemetry = setup({
  service: { name: 'users-api', version: '1.0.0' },
  exporter: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none',
});

// Errors only: Fastify also logs every request at info.
const app = Fastify({ loggerInstance: createLogger({ level: 'error' }) });
await app.register(otelkitPlugin, {
  captureHeaders: ['x-tenant'],
  sla: { 'GET /users/:id': 250 },
  ignore: ['/healthz'],
});
app.get<{ Params: { id: string } }>('/users/:id', async (request) => ({ id: request.params.id }));
app.get('/boom', async () => {
  throw new Error('database down', { cause: new Error('connection refused') });
});
app.get('/healthz', async () => 'ok');

const base = await app.listen({ port: 0, host: '127.0.0.1' });
for (const path of ['/users/42', '/boom']) {
  const response = await fetch(`${base}${path}`, { headers: { 'x-tenant': 'acme' } });
  console.log(`GET ${path} -> ${response.status} ${await response.text()}`);
  console.log(`  x-request-id: ${response.headers.get('x-request-id')}`);
}
await app.close();
await telemetry.shutdown();
