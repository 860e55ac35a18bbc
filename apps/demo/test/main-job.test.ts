import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startViewer, type Viewer } from 'otelkit-viewer';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface KeyValue {
  key: string;
  value: {
    stringValue?: string;
    boolValue?: boolean;
    intValue?: string;
    arrayValue?: { values: KeyValue['value'][] };
  };
}
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  status: { code: number };
  attributes: KeyValue[];
  events: { name: string; attributes: KeyValue[] }[];
  links: { traceId: string; spanId: string }[];
}

const root = resolve(import.meta.dirname, '../../..');
// `npm run docs:images` refreshes the README's picture; `npm test` never touches tracked files.
const screenshot = process.env.OTELKIT_DOCS_IMAGES
  ? resolve(root, 'docs/images/demo-trace.png')
  : resolve(root, '.otelkit/screenshots/demo-trace.png');
/** Debian's chromium (apt-get install -y chromium), or CHROMIUM_PATH. */
const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find(
  (p) => p && existsSync(p),
);
let viewer: Viewer;
let output = '';

const get = async <T>(path: string): Promise<T> =>
  (await (await fetch(`${viewer.url}${path}`)).json()) as T;
const traces = async (query: Record<string, string>) =>
  (
    await get<{ traces: { traceId: string }[] }>(
      `/api/traces?${new URLSearchParams({ service: 'users-api', limit: '50', ...query })}`,
    )
  ).traces;
const spansOf = async (traceId: string) =>
  (await get<{ spans: Span[] }>(`/api/traces/${traceId}`)).spans;
const value = (list: KeyValue[], key: string) => {
  const v = list.find((kv) => kv.key === key)?.value;
  if (v?.arrayValue) return v.arrayValue.values.map((x) => x.stringValue);
  return (
    v?.stringValue ?? v?.boolValue ?? (v?.intValue === undefined ? undefined : Number(v.intValue))
  );
};
/** The spans of up to `n` traces of an operation. */
async function spansOfOperation(operation: string, n = 20, query: Record<string, string> = {}) {
  const found = (await traces({ operation, ...query })).slice(0, n);
  return (await Promise.all(found.map((t) => spansOf(t.traceId)))).flat();
}

beforeAll(async () => {
  viewer = await startViewer({ port: 0, db: ':memory:' });
  const child = spawn(
    'npm',
    ['start', '--', '--once', `--viewer=${viewer.url}`, '--duration=4', '--seed=1'],
    {
      cwd: root,
      env: { ...process.env, DEMO_MAIL_FAILURE_RATE: '0.4' },
    },
  );
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`npm start exited with ${code}:\n${output}`);
}, 120_000);

afterAll(() => viewer?.close());

describe('npm start -- --once', () => {
  it('prints the summary with latency percentiles and links into the viewer', () => {
    expect(output).toMatch(/GET \/users\/:id/);
    expect(output).toMatch(/p99 ms/);
    expect(output).toMatch(/SLA met \(GET \/users\/:id, 200 ms target\): \d+(\.\d)?%/);
    expect(output).toMatch(
      /Viewer received: [1-9]\d* spans in \d+ traces, [1-9]\d* log records, [1-9]\d* metric points/,
    );
    expect(output).toContain(`Slowest trace:      ${viewer.url}/#/trace/`);
    expect(output).toContain(`A cause chain:      ${viewer.url}/#/trace/`);
  });

  it('says which SLOs the run met and pages for the buggy report route', () => {
    expect(output).toMatch(/^SLOs \(/m);
    expect(/^Paged for: (.+)$/m.exec(output)?.[1]).toContain('GET /users/:id/report');
  });

  it('answers a crash with the safe 500 body', () => {
    const body = /What a client saw of a crash \(500\): (.+)$/m.exec(output)?.[1];
    expect(JSON.parse(body ?? 'null')).toEqual({
      error: 'Internal Server Error',
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('traces HTTP requests with database client spans as children', async () => {
    const spans = await spansOfOperation('GET /users/:id', 5);
    const server = spans.find(
      (s) => s.kind === 2 && value(s.attributes, 'http.route') === '/users/:id',
    );
    expect(server).toBeDefined();
    const descendants = spans.filter((s) => s.traceId === server!.traceId);
    const db = descendants.find((s) => value(s.attributes, 'db.system.name') === 'sqlite');
    expect(db).toMatchObject({ kind: 3, name: 'SELECT users' });
    expect(value(db!.attributes, 'db.query.text')).toBe(
      'SELECT id, name, email, created_at FROM users WHERE id = ?',
    );
    expect(
      descendants.some(
        (s) => s.name === 'user.lookup' && typeof value(s.attributes, 'sla.met') === 'boolean',
      ),
    ).toBe(true);
  });

  it('records the welcome mail as detached work linked to its request, with retries', async () => {
    const spans = await spansOfOperation('welcome mail', 50);
    const detached = spans.filter((s) => s.name === 'welcome mail');
    expect(detached.length).toBeGreaterThan(0);
    expect(value(detached[0]!.attributes, 'task.detached')).toBe(true);
    const [link] = detached[0]!.links;
    const request = (await spansOf(link!.traceId)).find((s) => s.spanId === link!.spanId);
    expect(request?.name).toBe('POST /users');
    const retried = spans.flatMap((s) => s.events).filter((e) => e.name === 'retry');
    expect(retried.length).toBeGreaterThan(0);
    expect(value(retried[0]!.attributes, 'retry.attempt')).toBeGreaterThanOrEqual(1);
  });

  it('traces the plain fetch to the mail service: users-api client span, mail server span, retried', async () => {
    const spans = await spansOfOperation('welcome mail', 50);
    const byTrace = Map.groupBy(spans, (s) => s.traceId);
    const calls = [...byTrace.values()].map((trace) => ({
      clients: trace.filter((s) => s.kind === 3 && s.name === 'POST'),
      servers: trace.filter((s) => s.kind === 2 && s.name === 'POST /send'),
    }));
    const retriedCall = calls.find((call) => call.clients.length > 1);
    expect(retriedCall).toBeDefined();
    const [client] = retriedCall!.clients;
    expect(value(client!.attributes, 'url.full')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/send$/);
    expect(value(client!.attributes, 'server.address')).toBe('127.0.0.1');
    const clientIds = new Set(retriedCall!.clients.map((s) => s.spanId));
    expect(retriedCall!.servers.length).toBe(retriedCall!.clients.length);
    for (const server of retriedCall!.servers)
      expect(clientIds.has(server.parentSpanId)).toBe(true);
    const failed = retriedCall!.clients.find(
      (s) => value(s.attributes, 'http.response.status_code') === 503,
    );
    expect(value(failed!.attributes, 'error.type')).toBe('503');
  });

  it('writes the audit trail in batch spans linked to the requests', async () => {
    const spans = await spansOfOperation('batch audit', 5);
    const batch = spans.find((s) => s.name === 'batch audit');
    expect(value(batch!.attributes, 'batch.size')).toBeGreaterThan(0);
    expect(batch!.links.length).toBe(value(batch!.attributes, 'batch.size'));
  });

  it('records the report bug with its three-level cause chain', async () => {
    const spans = await spansOfOperation('GET /users/:id/report', 5, { status: 'error' });
    const exception = spans.flatMap((s) => s.events).find((e) => e.name === 'exception');
    expect(value(exception!.attributes, 'exception.chain.types')).toEqual([
      'Error',
      'Error',
      'DatabaseError',
    ]);
    const server = spans.find((s) => s.kind === 2 && s.status.code === 2);
    expect(value(server!.attributes, 'http.response.status_code')).toBe(500);
  });

  it('correlates log records with their traces', async () => {
    const logsOf = async (traceId: string) =>
      (
        await get<{ logs: { traceId: string; body: { stringValue?: string } }[] }>(
          `/api/traces/${traceId}/logs`,
        )
      ).logs;
    const posts = await spansOfOperation('POST /users', 20);
    const status = (code: number) =>
      posts.find((s) => s.kind === 2 && value(s.attributes, 'http.response.status_code') === code);
    const created = status(201);
    const createdLogs = await logsOf(created!.traceId);
    expect(createdLogs.map((l) => [l.traceId, l.body.stringValue])).toContainEqual([
      created!.traceId,
      'user created',
    ]);
    // A warning lands on the request's span as a `log` event too.
    const rejected = status(400);
    const rejectedLogs = await logsOf(rejected!.traceId);
    expect(rejectedLogs.map((l) => l.body.stringValue)).toContain('invalid user rejected');
    expect(
      rejected!.events.some(
        (e) => e.name === 'log' && value(e.attributes, 'log.message') === 'invalid user rejected',
      ),
    ).toBe(true);
  });

  it('exports the HTTP duration histogram', async () => {
    const { metrics } = await get<{
      metrics: { type: string; points: Record<string, unknown>[] }[];
    }>('/api/metrics?name=http.server.request.duration');
    expect(metrics[0]?.type).toBe('histogram');
    expect(metrics[0]?.points.some((p) => Array.isArray(p.bucketCounts))).toBe(true);
  });

  it.skipIf(!chromiumPath && !process.env.CI)(
    'shows the crash with its cause chain in the viewer page',
    async () => {
      const [failed] = await traces({ operation: 'GET /users/:id/report', status: 'error' });
      const spans = await spansOf(failed!.traceId);
      const crashed = spans.find((s) => s.events.some((e) => e.name === 'exception'));
      const browser = await chromium.launch({
        ...(chromiumPath ? { executablePath: chromiumPath } : {}),
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        await page.goto(`${viewer.url}/#/trace/${failed!.traceId}?span=${crashed!.spanId}`);
        await page.locator('#waterfall').waitFor();
        const detail = page.locator('#span-detail');
        await expect.poll(() => detail.textContent()).toContain('no such column: last_login');
        const logs = await get<{ logs: { body: { stringValue?: string } }[] }>(
          `/api/traces/${failed!.traceId}/logs`,
        );
        expect(logs.logs.map((l) => l.body.stringValue)).toContain('request failed');
        await page.screenshot({ path: screenshot });
      } finally {
        await browser.close();
      }
    },
  );
});
