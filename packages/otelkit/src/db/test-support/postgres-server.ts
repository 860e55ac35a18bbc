import { execFile, execFileSync } from 'node:child_process';
import { chown, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { closedPort } from '../../export/test-support/closed-port.ts';
import { findBinary, startProcess, stopProcess, type TestServer } from './server-process.ts';

/**
 * A PostgreSQL server of its own, user `postgres` trusted on loopback. It
 * refuses to run as root: as root, it runs as the `postgres` user.
 */
export async function startPostgres(): Promise<TestServer> {
  const initdb = findBinary('initdb');
  const postgres = findBinary('postgres');
  if (initdb === undefined || postgres === undefined)
    throw new Error('postgresql is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'otelkit-postgres-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (binary: string) =>
    (asRoot ? ['runuser', ['-u', 'postgres', '--', binary]] : [binary, []]) as [string, string[]];
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    await chown(dir, uid, gid);
  }
  const [initCommand, initPrefix] = run(initdb);
  await promisify(execFile)(initCommand, [
    ...initPrefix,
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '--no-instructions',
  ]);
  const port = await closedPort();
  const [command, prefix] = run(postgres);
  const child = await startProcess(
    command,
    [
      ...prefix,
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
    ],
    port,
    'postgres',
  );
  return { host: '127.0.0.1', port, stop: () => stopProcess(child, dir) };
}
