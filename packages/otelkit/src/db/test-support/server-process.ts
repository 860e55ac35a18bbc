import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A database server started for the tests: a private instance on a loopback port, in a temp folder. */
export interface TestServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/**
 * The path of a server binary, from PATH and the folders Debian installs
 * servers in, or `undefined` when it is not installed.
 */
export function findBinary(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  dirs.push('/usr/sbin', '/usr/local/sbin');
  // Debian's postgresql keeps its binaries out of PATH, per major version.
  if (existsSync('/usr/lib/postgresql')) {
    for (const major of readdirSync('/usr/lib/postgresql').sort().reverse()) {
      dirs.push(join('/usr/lib/postgresql', major, 'bin'));
    }
  }
  for (const dir of dirs) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Whether tests needing `binary` must be skipped: only when it is missing on
 * a developer's machine. CI installs every server, so a missing one there
 * fails the tests instead of skipping them. Says why when it skips.
 */
export function skipWithout(binary: string, install: string): boolean {
  if (findBinary(binary) !== undefined || process.env.CI) return false;
  console.warn(`skipped: ${binary} is not installed (apt-get install ${install})`);
  return true;
}

/** Spawns `command`, waits until `port` accepts connections, and returns the process. */
export async function startProcess(
  command: string,
  args: readonly string[],
  port: number,
  what: string,
): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output = (output + chunk).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  while (!(await accepts(port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${what} did not start on port ${port}:\n${output}`);
    }
    await sleep(50);
  }
  return child;
}

/** Stops `child` (SIGTERM, then SIGKILL after 10 s) and removes `dir`. */
export async function stopProcess(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  await rm(dir, { recursive: true, force: true });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
