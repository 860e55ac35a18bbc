import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../export/test-support/closed-port.ts';
import { unreachableReason } from './reachability.ts';

describe('unreachableReason', () => {
  it('says the connection was refused where nothing listens', async () => {
    const port = await closedPort();
    expect(await unreachableReason(`http://127.0.0.1:${port}/v1/metrics`)).toBe(
      'connection refused',
    );
  });

  it('says nothing where a server accepts the connection', async () => {
    const server = createServer((socket) => socket.destroy()).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as { port: number };
      expect(await unreachableReason(`http://127.0.0.1:${port}/v1/metrics`)).toBeUndefined();
    } finally {
      server.close();
    }
  });
});
