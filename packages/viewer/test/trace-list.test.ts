import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DependencyEdge, TracePage, Viewer } from '../src/index.ts';
import { jsonSpan, jsonTraceRequest } from './otlp-requests.ts';
import { getJson, send, startTestViewer } from './support.ts';

let viewer: Viewer;
beforeEach(async () => {
  viewer = await startTestViewer();
});
afterEach(() => viewer.close());

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');
const server = 2;
const client = 3;

async function exportSpans(spans: Record<string, unknown>[], service: string): Promise<void> {
  const response = await send(`${viewer.url}/v1/traces`, {
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(jsonTraceRequest(spans, service)),
  });
  expect(JSON.parse(response.body.toString())).toEqual({});
}

const rows = async () =>
  (await getJson<TracePage>(viewer, '/api/traces')).traces.map((t) => [
    t.traceId.slice(-1),
    t.rootName,
    t.rootTarget,
  ]);

describe('a trace whose root is a client span', () => {
  it('names what it called: url.full, else the server span it reached', async () => {
    // A job calling a service with fetch: the root is the client span, named just GET.
    await exportSpans(
      [
        jsonSpan({
          traceId: hex(1, 16),
          name: 'GET',
          kind: client,
          attributes: [str('url.full', 'http://127.0.0.1:3000/users/42')],
        }),
      ],
      'main-job',
    );
    // Without url.full, the server child names it, whether it arrives before the root or after.
    const root = (n: number) =>
      jsonSpan({
        traceId: hex(n, 16),
        spanId: hex(1, 8),
        name: 'GET',
        kind: client,
        attributes: [],
      });
    const child = (n: number) =>
      jsonSpan({
        traceId: hex(n, 16),
        spanId: hex(2, 8),
        parentSpanId: hex(1, 8),
        name: 'GET /users/:id',
        kind: server,
      });
    await exportSpans([child(2)], 'users-api');
    await exportSpans([root(2)], 'main-job');
    await exportSpans([root(3)], 'main-job');
    await exportSpans([child(3)], 'users-api');
    // A server root is named by itself.
    await exportSpans([jsonSpan({ traceId: hex(4, 16), kind: server })], 'users-api');
    expect((await rows()).sort()).toEqual([
      ['1', 'GET', 'http://127.0.0.1:3000/users/42'],
      ['2', 'GET', 'GET /users/:id'],
      ['3', 'GET', 'GET /users/:id'],
      ['4', 'GET /users', ''],
    ]);
  });
});

describe('tail sampling', () => {
  it('shows why a trace was kept, and which services sample', async () => {
    await exportSpans(
      [
        jsonSpan({
          traceId: hex(1, 16),
          kind: server,
          attributes: [str('otelkit.sampling.reason', 'slow')],
        }),
      ],
      'users-api',
    );
    await exportSpans([jsonSpan({ traceId: hex(2, 16), kind: server })], 'billing');
    const page = await getJson<TracePage>(viewer, '/api/traces');
    expect(page.samplingServices).toEqual(['users-api']);
    expect(page.traces.map((t) => [t.traceId.slice(-1), t.samplingReason]).sort()).toEqual([
      ['1', 'slow'],
      ['2', ''],
    ]);
  });
});

describe('the service map', () => {
  it("shows each database and cache a service calls, from its client spans' db.system.name and server.address", async () => {
    const query = (n: number, system: string, address: string | undefined, failed = false) =>
      jsonSpan({
        traceId: hex(n, 16),
        spanId: hex(n, 8),
        name: system === 'redis' ? 'GET' : 'SELECT users',
        kind: client,
        attributes: [
          str('db.system.name', system),
          ...(address ? [str('server.address', address)] : []),
        ],
        status: failed ? { code: 2 } : {},
      });
    await exportSpans(
      [
        query(1, 'mysql', '127.0.0.1'),
        query(2, 'mysql', '127.0.0.1', true),
        query(3, 'redis', '127.0.0.1'),
        query(4, 'sqlite', undefined),
        // The conventions' older attribute, as older instrumentations send it.
        jsonSpan({
          traceId: hex(5, 16),
          kind: client,
          attributes: [str('db.system', 'postgresql'), str('server.address', 'db.internal')],
        }),
        // A server span's db attributes (a database proxy) are not a call to a database.
        jsonSpan({
          traceId: hex(6, 16),
          kind: server,
          attributes: [str('db.system.name', 'mysql')],
        }),
      ],
      'users-api',
    );
    const { edges } = await getJson<{ edges: DependencyEdge[] }>(viewer, '/api/dependencies');
    expect(edges).toEqual([
      { parent: 'users-api', child: 'mysql 127.0.0.1', kind: 'database', calls: 2, errors: 1 },
      {
        parent: 'users-api',
        child: 'postgresql db.internal',
        kind: 'database',
        calls: 1,
        errors: 0,
      },
      { parent: 'users-api', child: 'redis 127.0.0.1', kind: 'database', calls: 1, errors: 0 },
      { parent: 'users-api', child: 'sqlite', kind: 'database', calls: 1, errors: 0 },
    ]);
  });
});
