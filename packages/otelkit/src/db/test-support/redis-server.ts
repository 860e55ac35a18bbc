import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../../export/test-support/closed-port.ts';
import { findBinary, startProcess, stopProcess, type TestServer } from './server-process.ts';

/** A Redis server of its own, in memory only. */
export async function startRedis(): Promise<TestServer> {
  const redisServer = findBinary('redis-server');
  if (redisServer === undefined) throw new Error('redis-server is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'otelkit-redis-'));
  const port = await closedPort();
  const child = await startProcess(
    redisServer,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    port,
    'redis-server',
  );
  return { host: '127.0.0.1', port, stop: () => stopProcess(child, dir) };
}
