import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  databaseDown,
  describeAdapterContract,
  teapot,
  userBody,
} from '../../test-support/http-adapter-contract.ts';
import { close, eventually, listen, request } from '../../test-support/http-client.ts';
import { createTestTelemetry, type TestTelemetry } from '../../testing/index.ts';
import { instrumentHandler } from './node-http.ts';

const USER = /^\/users\/([^/?]+)/;

function routeOf(req: IncomingMessage): string | undefined {
  const path = (req.url ?? '').split('?')[0]!;
  if (USER.test(path)) return '/users/:id';
  return ['/boom', '/reject', '/teapot', '/healthz', '/echo'].includes(path) ? path : undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function handler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0]!;
  const user = USER.exec(path);
  if (user) return send(res, 200, userBody(user[1]!));
  if (path === '/boom') throw databaseDown();
  if (path === '/reject') {
    await Promise.resolve();
    throw databaseDown();
  }
  if (path === '/teapot') throw teapot();
  if (path === '/healthz') return send(res, 200, 'ok');
  if (path === '/echo') {
    // Callback-style body reading: the span must stay active in the listeners.
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const traced = trace.getActiveSpan() !== undefined;
      send(res, 200, { size: Object.keys(JSON.parse(text)).length, traced });
    });
    return;
  }
  send(res, 404, { error: 'Not Found' });
}

describeAdapterContract(
  'node:http',
  async (options) => {
    const server = createServer(instrumentHandler(handler, { ...options, route: routeOf }));
    const url = await listen(server);
    return { url, close: () => close(server) };
  },
  'process-rejection',
);

describe('instrumentHandler()', () => {
  let telemetry: TestTelemetry | undefined;
  afterEach(async () => {
    await telemetry?.shutdown();
    telemetry = undefined;
  });

  it('names spans by the method alone without a route option', async () => {
    telemetry = createTestTelemetry();
    const server = createServer(instrumentHandler((_req, res) => res.end('ok')));
    const url = await listen(server);
    try {
      await request(`${url}/anything/42`);
      const span = await eventually(() => telemetry!.spans()[0]!);
      expect(span.name).toBe('GET');
      expect(span.attributes['url.path']).toBe('/anything/42');
    } finally {
      await close(server);
    }
  });

  it('names methods outside the conventions _OTHER and the span HTTP', async () => {
    telemetry = createTestTelemetry();
    const server = createServer(instrumentHandler((_req, res) => res.end('ok')));
    const url = await listen(server);
    try {
      await request(url, { method: 'PURGE' });
      const span = await eventually(() => telemetry!.spans()[0]!);
      expect(span.name).toBe('HTTP');
      expect(span.attributes['http.request.method']).toBe('_OTHER');
      expect(span.attributes['http.request.method_original']).toBe('PURGE');
    } finally {
      await close(server);
    }
  });
});
