import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { createReceiver } from '../src/receiver/receiver.ts';
import { send } from './support.ts';

it('answers 503 with Retry-After beyond the concurrent request limit, then recovers', async () => {
  const receiver = createReceiver({
    maxBodyBytes: 1024 * 1024,
    maxConcurrentRequests: 1,
    ingest: async () => {},
  });
  const server = createServer((req, res) => void receiver('traces', req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  try {
    // A slow upload holds the only slot: its body never ends until we say so.
    const slow = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
    const slowAnswer = once(slow, 'response');
    slow.write('{"resourceSpans":');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refused = await send(url, {
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    slow.end('[]}');
    const [slowResponse] = (await slowAnswer) as [{ statusCode: number; resume(): void }];
    slowResponse.resume();
    expect(slowResponse.statusCode).toBe(200);
    const after = await send(url, { headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(after.status).toBe(200);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
