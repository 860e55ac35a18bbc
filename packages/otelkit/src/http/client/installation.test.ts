import { createServer, type Server } from 'node:http';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { close, eventually, listen } from '../../test-support/http-client.ts';
import { createTestTelemetry, type TestTelemetry } from '../../testing/index.ts';
import { traceHttpClients } from './index.ts';

let server: Server;
let url: string;
let traceparents: unknown[];
let telemetry: TestTelemetry;
const installed: (() => void)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    traceparents.push(req.headers.traceparent);
    res.end('ok');
  });
  url = await listen(server);
});
afterAll(() => close(server));
beforeEach(() => {
  traceparents = [];
  telemetry = createTestTelemetry();
});
afterEach(async () => {
  for (const uninstall of installed.splice(0)) uninstall();
  await telemetry.shutdown();
});

function install(...args: Parameters<typeof traceHttpClients>): () => void {
  const uninstall = traceHttpClients(...args);
  installed.push(uninstall);
  return uninstall;
}

/** Fetches each path in turn and returns the paths that got a client span. */
async function tracedPaths(...paths: string[]): Promise<string[]> {
  telemetry.reset();
  for (const path of paths) await (await fetch(`${url}${path}`)).text();
  // Spans end as the body is received: one more round trip lets the last one land.
  await (await fetch(`${url}/settle`)).text();
  return telemetry
    .spans()
    .filter((s) => s.kind === SpanKind.CLIENT)
    .map((s) => new URL(String(s.attributes['url.full'])).pathname)
    .filter((path) => path !== '/settle');
}

it('traces each request once however often it is installed', async () => {
  const first = install();
  const second = install();
  expect(await tracedPaths('/a', '/b')).toEqual(['/a', '/b']);
  expect(traceparents.slice(0, 2).every((t) => typeof t === 'string' && !t.includes(','))).toBe(
    true,
  );
  first();
  expect(await tracedPaths('/c')).toEqual(['/c']);
  second();
  expect(await tracedPaths('/d')).toEqual([]);
});

it('shares one installation with another copy of otelkit', async () => {
  vi.resetModules();
  const copy = (await import(
    './trace-http-clients.ts'
  )) as typeof import('./trace-http-clients.ts');
  expect(copy.traceHttpClients).not.toBe(traceHttpClients);
  const theirs = copy.traceHttpClients();
  installed.push(theirs);
  const ours = install();
  traceparents = [];
  expect(await tracedPaths('/a')).toEqual(['/a']);
  expect(traceparents[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  theirs();
  expect(await tracedPaths('/b')).toEqual(['/b']);
  ours();
  expect(await tracedPaths('/c')).toEqual([]);
});

it('applies the newest options until they are uninstalled', async () => {
  install({ ignore: ['/a'] });
  const newer = install({ ignore: ['/b'] });
  expect(await tracedPaths('/a', '/b')).toEqual(['/a']);
  newer();
  expect(await tracedPaths('/a', '/b')).toEqual(['/b']);
});

it('releases only its own installation when uninstalled twice', async () => {
  const first = install();
  install();
  first();
  first();
  expect(await tracedPaths('/a')).toEqual(['/a']);
});

it('throws on bad options naming the value, and installs nothing', async () => {
  expect(() => install({ maxClientSpanMs: -5 })).toThrow(/maxClientSpanMs.*-5/);
  expect(() => install({ ignore: ['api.example.com'] })).toThrow(/"api\.example\.com"/);
  expect(await tracedPaths('/a')).toEqual([]);
  await eventually(() => expect(traceparents.every((t) => t === undefined)).toBe(true));
});
