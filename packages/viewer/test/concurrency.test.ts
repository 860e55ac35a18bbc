import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { createReceiver } from '../src/receiver/receiver.ts';
import { jsonSpan, jsonTraceRequest } from './otlp-requests.ts';
import { send } from './support.ts';

it('answers 503 with Retry-After beyond the concurrent request limit, then recovers', async () => {
  const receiver = createReceiver({
    maxBodyBytes: 1024 * 1024,
    maxConcurrentRequests: 1,
    maxAgeMs: 7 * 24 * 3_600_000,
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

it('answers 503 with Retry-After when the telemetry cannot be stored, so that exporters retry', async () => {
  const failures: unknown[] = [];
  const receiver = createReceiver({
    maxBodyBytes: 1024 * 1024,
    maxAgeMs: 7 * 24 * 3_600_000,
    ingest: async () => {
      throw new Error('database or disk is full');
    },
    onError: (error) => failures.push(error),
  });
  const server = createServer((req, res) => void receiver('traces', req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  try {
    const response = await send(url, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(jsonTraceRequest([jsonSpan()])),
    });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(JSON.parse(response.body.toString())).toEqual({
      code: 14,
      message: 'the viewer could not store this export (database or disk is full); retry',
    });
    expect(failures).toHaveLength(1);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
