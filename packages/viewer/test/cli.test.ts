import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
});

function run(args: string[]) {
  child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  return { process: child, output: () => ({ stdout, stderr }), exited };
}

async function firstLine(process: ChildProcess): Promise<string> {
  let text = '';
  for await (const chunk of process.stdout!) {
    text += chunk;
    if (text.includes('\n')) return text.split('\n')[0]!;
  }
  return text;
}

it('prints exactly "listening on http://HOST:PORT" once ready, serves, and stops on SIGTERM', async () => {
  const viewer = run(['--host', '127.0.0.1', '--port', '0', '--db', ':memory:']);
  const line = await firstLine(viewer.process);
  expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
  const url = line.slice('listening on '.length);
  const response = await fetch(`${url}/api/services`);
  expect(await response.json()).toEqual({ services: [] });
  viewer.process.kill('SIGTERM');
  const [code] = await viewer.exited;
  expect(code).toBe(0);
});

it('explains its options with --help and refuses a bad value', async () => {
  const help = run(['--help']);
  expect((await help.exited)[0]).toBe(0);
  expect(help.output().stdout).toMatch(/--port <number>/);
  const bad = run(['--port', 'many']);
  expect((await bad.exited)[0]).toBe(1);
  expect(bad.output().stderr).toMatch(/--port must be a non-negative number/);
});
