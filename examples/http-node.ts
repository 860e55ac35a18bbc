// Plain node:http with otelkit/http: wrap the request listener; give a route
// function so that spans are named by template rather than by method alone.
// expect-output: GET /orders/17 -> 200 order 17
// expect-output: GET /crash -> 500 {"error":"Internal Server Error","traceId":"
// The error is printed as Node prints one nobody caught, but the server keeps serving.
// expect-stderr: Error: unexpected route
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { instrumentHandler } from 'otelkit/http';
import { setup } from 'otelkit/setup';

const telemetry = setup({
  service: { name: 'orders', version: '1.0.0' },
  exporter: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none',
});

const ORDER = /^\/orders\/(\d+)$/;
const server = createServer(
  instrumentHandler(
    (req, res) => {
      const order = ORDER.exec(req.url ?? '');
      if (order) return res.end(`order ${order[1]}`);
      throw new Error('unexpected route');
    },
    { route: (req) => (ORDER.test(req.url ?? '') ? '/orders/:id' : undefined) },
  ),
);
server.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;
for (const path of ['/orders/17', '/crash']) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  console.log(`GET ${path} -> ${response.status} ${await response.text()}`);
}
server.close();
await telemetry.shutdown();
