import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanView, TraceSummary, Viewer } from '../src/index.ts';
import { jsonSpan, jsonTraceRequest } from './otlp-requests.ts';
import { getJson, send, startTestViewer } from './support.ts';

let viewer: Viewer;
const hostile = '<img src=x onerror=alert(1)>';
const ms = (n: number) => (BigInt(n) * 1_000_000n).toString();
// A whole second an hour ago: recent enough for the retention, round for the expectations.
const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

// Four traces: users-api GET /users (fast, ok), users-api POST /users (slow, error),
// billing charge (medium, ok, later), and a hostile attribute on the last one.
function trace(
  id: number,
  service: string,
  name: string,
  startMs: number,
  durationMs: number,
  error = false,
) {
  const traceId = id.toString(16).padStart(32, 'a');
  return {
    traceId,
    body: jsonTraceRequest(
      [
        jsonSpan({
          traceId,
          spanId: '1000000000000001',
          name,
          startTimeUnixNano: ms(startMs),
          endTimeUnixNano: ms(startMs + durationMs),
          status: error ? { code: 2, message: 'boom' } : {},
          attributes: [{ key: 'note', value: { stringValue: hostile } }],
        }),
        jsonSpan({
          traceId,
          spanId: '1000000000000002',
          parentSpanId: '1000000000000001',
          name: `${name} child`,
          startTimeUnixNano: ms(startMs + 1),
          endTimeUnixNano: ms(startMs + 2),
        }),
      ],
      service,
    ),
  };
}

const fast = trace(1, 'users-api', 'GET /users', t0, 5);
const slow = trace(2, 'users-api', 'POST /users', t0 + 1000, 900, true);
const later = trace(3, 'billing', 'charge', t0 + 2000, 50);

beforeAll(async () => {
  viewer = await startTestViewer();
  for (const t of [fast, slow, later]) {
    const response = await send(`${viewer.url}/v1/traces`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(t.body),
    });
    expect(response.status).toBe(200);
  }
});
afterAll(() => viewer.close());

const list = async (query = '') =>
  (await getJson<{ traces: TraceSummary[] }>(viewer, `/api/traces${query}`)).traces.map(
    (t) => t.traceId,
  );

describe('GET /api/traces', () => {
  it('lists the newest traces first with their summaries', async () => {
    const { traces } = await getJson<{ traces: TraceSummary[] }>(viewer, '/api/traces');
    expect(traces.map((t) => t.traceId)).toEqual([later.traceId, slow.traceId, fast.traceId]);
    expect(traces[1]).toEqual({
      traceId: slow.traceId,
      rootService: 'users-api',
      rootName: 'POST /users',
      hasRoot: true,
      rootTarget: '',
      samplingReason: '',
      startTimeUnixNano: ms(t0 + 1000),
      endTimeUnixNano: ms(t0 + 1900),
      durationMs: 900,
      spanCount: 2,
      errorCount: 1,
    });
  });

  it('filters by service, operation, errors, minimum duration and start', async () => {
    expect(await list('?service=users-api')).toEqual([slow.traceId, fast.traceId]);
    expect(await list('?service=users-api&operation=GET%20/users')).toEqual([fast.traceId]);
    expect(await list('?operation=charge%20child')).toEqual([later.traceId]);
    expect(await list('?status=error')).toEqual([slow.traceId]);
    expect(await list('?minDurationMs=40')).toEqual([later.traceId, slow.traceId]);
    expect(await list(`?since=${t0 + 500}`)).toEqual([later.traceId, slow.traceId]);
    expect(await list(`?since=${new Date(t0 + 1500).toISOString()}`)).toEqual([later.traceId]);
    expect(await list('?service=nobody')).toEqual([]);
    expect(await list(`?service=users-api&since=${t0 + 500}`)).toEqual([slow.traceId]);
    expect(await list('?service=users-api&status=error')).toEqual([slow.traceId]);
    expect(await list('?service=billing&operation=GET%20/users')).toEqual([]);
  });

  it('sorts by duration and limits the list', async () => {
    expect(await list('?sort=slowest')).toEqual([slow.traceId, later.traceId, fast.traceId]);
    expect(await list('?sort=slowest&service=users-api')).toEqual([slow.traceId, fast.traceId]);
    expect(await list('?sort=slowest&operation=charge')).toEqual([later.traceId]);
    expect(await list('?limit=1')).toEqual([later.traceId]);
  });

  it.each(['status=ok', 'minDurationMs=-1', 'limit=abc', 'since=yesterday', 'sort=fastest'])(
    'answers 400 to %s',
    async (query) => {
      const response = await fetch(`${viewer.url}/api/traces?${query}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: unknown }).error).toEqual(expect.any(String));
    },
  );
});

describe('GET /api/traces/:traceId', () => {
  it('serves the spans, and the hostile attribute unchanged', async () => {
    const { spans } = await getJson<{ spans: SpanView[] }>(viewer, `/api/traces/${slow.traceId}`);
    expect(spans.map((s) => s.name)).toEqual(['POST /users', 'POST /users child']);
    expect(spans[0]!.attributes).toEqual([{ key: 'note', value: { stringValue: hostile } }]);
    expect(spans[0]!.status).toEqual({ code: 2, message: 'boom' });
  });

  it('accepts upper-case ids, answers 404 to an unknown trace and 400 to a malformed id', async () => {
    expect((await fetch(`${viewer.url}/api/traces/${slow.traceId.toUpperCase()}`)).status).toBe(
      200,
    );
    expect((await fetch(`${viewer.url}/api/traces/${'f'.repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${viewer.url}/api/traces/xyz`)).status).toBe(400);
  });
});

describe('the HTTP surface', () => {
  it('counts what is stored', async () => {
    expect(await getJson(viewer, '/api/stats')).toEqual({
      spans: 6,
      traces: 3,
      logs: 0,
      metricPoints: 0,
    });
  });

  it('lists services', async () => {
    expect(await getJson(viewer, '/api/services')).toEqual({ services: ['billing', 'users-api'] });
  });

  it('sends a strict CSP and nosniff with every answer', async () => {
    for (const path of ['/', '/api/traces', '/assets/style.css', '/nowhere']) {
      const response = await fetch(`${viewer.url}${path}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
    }
    const page = await fetch(`${viewer.url}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).not.toMatch(/<script>|\son\w+=/);
  });

  it('refuses API requests addressed to a foreign host name (DNS rebinding)', async () => {
    const response = await send(`${viewer.url}/api/traces`, {
      method: 'GET',
      headers: { Host: 'attacker.example:4318' },
    });
    expect(response.status).toBe(403);
  });

  it('answers 404 to unknown paths and 405 to writes on the API', async () => {
    expect((await fetch(`${viewer.url}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${viewer.url}/api/traces`, { method: 'POST' })).status).toBe(405);
  });
});
