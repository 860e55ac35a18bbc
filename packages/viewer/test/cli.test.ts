import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { startViewer } from '../src/index.ts';
import { jsonSpan, jsonTraceRequest, traceIdHex } from './otlp-requests.ts';
import { send, startTestViewer } from './support.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const bin = fileURLToPath(new URL('../bin/otelkit-viewer.js', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function run(args: string[], entry = cli) {
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
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

async function listening(viewer: ReturnType<typeof run>): Promise<string> {
  const line = await firstLine(viewer.process);
  expect(line).toMatch(/^listening on /);
  return line.slice('listening on '.length);
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
  // What it refuses, it says on stderr: what, how many, from whom.
  const refused = await send(`${url}/v1/traces`, {
    headers: { 'Content-Type': 'text/plain', 'User-Agent': 'curl/8.5.0' },
    body: 'hello',
  });
  expect(refused.status).toBe(415);
  await expect
    .poll(() => viewer.output().stderr)
    .toBe(
      'otelkit-viewer: refused 1 /v1/traces request from 127.0.0.1 (curl/8.5.0): 415 unsupported content type "text/plain"; use application/x-protobuf or application/json\n',
    );
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

it('says to use --port 0 or another port when its port is taken', async () => {
  const other = await startTestViewer();
  try {
    const viewer = run(['--port', String(other.port), '--db', ':memory:']);
    expect((await viewer.exited)[0]).toBe(1);
    expect(viewer.output().stderr).toContain(`port ${other.port} on 127.0.0.1 is already in use`);
    expect(viewer.output().stderr).toContain('use --port 0 for a free port, or --port <another>');
  } finally {
    await other.close();
  }
});

it('reopens a database file with what it holds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-viewer-cli-'));
  try {
    const db = join(dir, 'demo.db');
    const writer = await startViewer({ port: 0, db, onError: () => {} });
    await send(`${writer.url}/v1/traces`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(
        jsonTraceRequest([
          jsonSpan({
            startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
            endTimeUnixNano: String(BigInt(Date.now() + 5) * 1_000_000n),
          }),
        ]),
      ),
    });
    await writer.close();
    const viewer = run(['--port', '0', '--db', db]);
    const url = await listening(viewer);
    const { traces, total } = (await (
      await fetch(`${url}/api/traces?attr=http.route=/users`)
    ).json()) as {
      traces: { traceId: string }[];
      total: number;
    };
    expect(total).toBe(1);
    expect(traces[0]!.traceId).toBe(traceIdHex);
    viewer.process.kill('SIGTERM');
    expect((await viewer.exited)[0]).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('lets the origins given by --cors export, and refuses a value that is not an origin', async () => {
  const viewer = run(['--port', '0', '--db', ':memory:', '--cors', 'http://localhost:5173']);
  const url = await listening(viewer);
  const preflight = await send(`${url}/v1/traces`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
  });
  expect(preflight.status).toBe(204);
  const bad = run(['--port', '0', '--db', ':memory:', '--cors', 'localhost']);
  expect((await bad.exited)[0]).toBe(1);
  expect(bad.output().stderr).toContain('cors origin "localhost" is not an origin');
});

it('starts without an ExperimentalWarning about node:sqlite', async () => {
  const viewer = run(['--port', '0', '--db', ':memory:']);
  await listening(viewer);
  viewer.process.kill('SIGTERM');
  await viewer.exited;
  expect(viewer.output().stderr).not.toMatch(/ExperimentalWarning|SQLite is an experimental/);
});

it('runs from the committed bin, built or not', async () => {
  const help = run(['--help'], bin);
  expect((await help.exited)[0]).toBe(0);
  expect(help.output().stdout).toContain('Usage: otelkit-viewer');
});
