import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { closedPort } from '../../export/test-support/closed-port.ts';
import { findBinary, startProcess, stopProcess, type TestServer } from './server-process.ts';

/** A MariaDB server of its own, user `root` without password, database `app`. */
export async function startMariadb(): Promise<TestServer> {
  const mariadbd = findBinary('mariadbd') ?? findBinary('mysqld');
  const installDb = findBinary('mariadb-install-db') ?? findBinary('mysql_install_db');
  if (mariadbd === undefined || installDb === undefined)
    throw new Error('mariadb-server is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'otelkit-mariadb-'));
  const data = join(dir, 'data');
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  await promisify(execFile)(installDb, [
    '--no-defaults',
    `--datadir=${data}`,
    ...user,
    '--skip-test-db',
    '--auth-root-authentication-method=normal',
  ]);
  const port = await closedPort();
  const child = await startProcess(
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${data}`,
      ...user,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(dir, 'mariadb.sock')}`,
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=16M',
      `--init-file=${await initFile(dir)}`,
    ],
    port,
    'mariadbd',
  );
  return { host: '127.0.0.1', port, stop: () => stopProcess(child, dir) };
}

async function initFile(dir: string): Promise<string> {
  const path = join(dir, 'init.sql');
  await writeFile(path, 'CREATE DATABASE IF NOT EXISTS app;\n');
  return path;
}
