// Express 5 with otelkit/express: the middleware first, the error handler last;
// a failing request's ERROR line goes through the app's logger, with its trace id.
// expect-output: GET /users/7 -> 200 {"id":"7"}
// expect-output: GET /boom -> 500 {"error":"Internal Server Error","traceId":"
// expect-output: "level":50,
// expect-output: "trace_id":"
// expect-output: "msg":"payment provider timed out"
// expect-output: GET /missing -> 404
import type { AddressInfo } from 'node:net';
import express from 'express';
import { otelkitErrorHandler, otelkitMiddleware } from 'otelkit/express';
import { createLogger } from 'otelkit/pino';
import { setup } from 'otelkit/setup';

const telemetry = setup({
  service: { name: 'users-api', version: '1.0.0' },
  exporter: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none',
});

const app = express();
app.use(otelkitMiddleware({ ignore: ['/healthz'] }));
app.get('/users/:id', (req, res) => {
  res.json({ id: req.params.id });
});
app.get('/boom', async () => {
  throw new Error('payment provider timed out');
});
app.use(otelkitErrorHandler({ logger: createLogger() }));

const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;
for (const path of ['/users/7', '/boom', '/missing']) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  const body = response.status === 404 ? '' : ` ${await response.text()}`;
  console.log(`GET ${path} -> ${response.status}${body}`);
}
server.close();
await telemetry.shutdown();
