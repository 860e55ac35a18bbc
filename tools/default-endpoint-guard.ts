import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';

/**
 * Vitest global setup: listens where OTLP exporters send by default
 * (`localhost:4318`, IPv4 and IPv6) for the whole run, and fails the run if
 * anything arrives there. A developer's own viewer or collector on that port
 * must never fill with the test suite's services; a test that exports sets
 * its own sink or a closed port. Where the port is already taken (a viewer
 * is running), the guard cannot listen and says so.
 */
export default async function guardDefaultEndpoint(): Promise<() => Promise<void>> {
  // The developer's own OTEL_* settings (a collector, a sampler) stay out of the tests, and a
  // test that exports without saying where sends to a port nobody listens on.
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('OTEL_')) delete process.env[name];
  }
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${await closedPort()}`;
  const received: string[] = [];
  const servers: Server[] = [];
  for (const host of ['127.0.0.1', '::1']) {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const service = serviceName(Buffer.concat(chunks).toString('latin1'));
        received.push(`${request.method} ${request.url} from service ${service}`);
        response.writeHead(503).end();
      });
    });
    server.listen(4318, host);
    try {
      await Promise.race([
        once(server, 'listening'),
        once(server, 'error').then(([error]) => Promise.reject(error)),
      ]);
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRNOTAVAIL' && code !== 'EAFNOSUPPORT') {
        console.warn(
          `default-endpoint guard: cannot listen on ${host}:4318 (${code}); not checked`,
        );
      }
    }
  }
  return async () => {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
    if (received.length > 0) {
      throw new Error(
        `the tests sent ${received.length} requests to the default OTLP endpoint localhost:4318:\n  ${received.slice(0, 10).join('\n  ')}`,
      );
    }
  };
}

/** The `service.name` in an OTLP body (protobuf or JSON), to tell which test sent it. */
function serviceName(body: string): string {
  const at = body.indexOf('service.name');
  if (at < 0) return '(unknown)';
  const match = /[\x20-\x7e]{2,}/.exec(body.slice(at + 'service.name'.length, at + 200));
  return match ? JSON.stringify(match[0].replace(/^[^A-Za-z0-9_-]+/, '')) : '(unknown)';
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createTcpServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}
