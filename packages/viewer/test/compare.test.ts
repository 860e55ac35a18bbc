import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceComparison, Viewer } from '../src/index.ts';
import { jsonSpan, jsonTraceRequest, recentNs } from './otlp-requests.ts';
import { getJson, send, startTestViewer } from './support.ts';

let viewer: Viewer;
const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');
const traceA = hex(0xa, 16);
const traceB = hex(0xb, 16);
const cyclic = hex(0xc, 16);

// A span of `trace`: `id`, under `parent`, from `fromMs` for `ms`, after the trace's start.
function span(
  trace: string,
  id: number,
  parent: number,
  name: string,
  fromMs: number,
  ms: number,
  failed = false,
) {
  const start = recentNs + BigInt(fromMs * 1e6);
  return jsonSpan({
    traceId: trace,
    spanId: hex(id, 8),
    parentSpanId: parent ? hex(parent, 8) : undefined,
    name,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + BigInt(ms * 1e6)),
    status: failed ? { code: 2 } : {},
    attributes: [],
  });
}

beforeAll(async () => {
  viewer = await startTestViewer();
  const post = async (spans: Record<string, unknown>[], service: string) => {
    const response = await send(`${viewer.url}/v1/traces`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(jsonTraceRequest(spans, service)),
    });
    expect(JSON.parse(response.body.toString())).toEqual({});
  };
  // A: the checkout as it usually goes.
  await post(
    [
      span(traceA, 1, 0, 'GET /checkout', 0, 100),
      span(traceA, 2, 1, 'SELECT cart', 1, 10),
      span(traceA, 3, 1, 'SELECT cart', 12, 10),
      span(traceA, 4, 1, 'GET cache', 23, 1),
      span(traceA, 5, 1, 'POST /pay', 30, 50),
    ],
    'shop',
  );
  await post([span(traceA, 6, 5, 'POST /pay', 31, 45)], 'payments');
  // B: the second query got slow, the payment failed after a retry, the cache was skipped.
  await post(
    [
      span(traceB, 1, 0, 'GET /checkout', 0, 400, true),
      span(traceB, 2, 1, 'SELECT cart', 1, 10),
      span(traceB, 3, 1, 'SELECT cart', 12, 250),
      span(traceB, 5, 1, 'POST /pay', 270, 120, true),
      span(traceB, 7, 5, 'retry charge', 330, 50),
    ],
    'shop',
  );
  await post([span(traceB, 6, 5, 'POST /pay', 271, 30)], 'payments');
  // Spans that are each other's parents, and one its own.
  await post(
    [
      span(cyclic, 1, 2, 'ping', 0, 5),
      span(cyclic, 2, 1, 'pong', 1, 3),
      span(cyclic, 3, 3, 'self', 2, 1),
    ],
    'loop',
  );
});
afterAll(() => viewer.close());

describe('GET /api/compare', () => {
  it('aligns two traces by service, operation and position, with each difference', async () => {
    const comparison = await getJson<TraceComparison>(
      viewer,
      `/api/compare?a=${traceA}&b=${traceB}`,
    );
    expect(comparison.a).toMatchObject({
      traceId: traceA,
      rootName: 'GET /checkout',
      spanCount: 6,
    });
    expect(comparison.b).toMatchObject({ traceId: traceB, errorCount: 2 });
    const rows = comparison.rows.map((r) => [
      '  '.repeat(r.depth) + r.name,
      r.a?.durationMs ?? null,
      r.b?.durationMs ?? null,
      r.diffMs,
      r.change,
    ]);
    expect(rows).toEqual([
      ['GET /checkout', 100, 400, 300, 'failed'],
      ['  SELECT cart', 10, 10, 0, 'same'],
      ['  SELECT cart', 10, 250, 240, 'slower'],
      ['  GET cache', 1, null, null, 'onlyA'],
      ['  POST /pay', 50, 120, 70, 'failed'],
      ['    POST /pay', 45, 30, -15, 'faster'],
      ['    retry charge', null, 50, null, 'onlyB'],
    ]);
    expect(comparison.rows[4]!.b).toMatchObject({ spanId: hex(5, 8), offsetMs: 270, error: true });
    expect(comparison.changes).toEqual({
      same: 1,
      slower: 1,
      faster: 1,
      failed: 2,
      recovered: 0,
      onlyA: 1,
      onlyB: 1,
    });
  });

  it('compares traces whose spans are their own parents or each other’s', async () => {
    const comparison = await getJson<TraceComparison>(
      viewer,
      `/api/compare?a=${cyclic}&b=${traceA}`,
    );
    expect(
      comparison.rows
        .filter((r) => r.change === 'onlyA')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['ping', 'pong', 'self']);
  });

  it('answers 404 naming a trace it does not hold, and 400 to ids that are not ids', async () => {
    const unknown = hex(0xdead, 16);
    const missing = await fetch(`${viewer.url}/api/compare?a=${traceA}&b=${unknown}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: `trace ${unknown} not found` });
    for (const query of [`a=${traceA}`, `a=${traceA}&b=xyz`]) {
      const bad = await fetch(`${viewer.url}/api/compare?${query}`);
      expect(bad.status).toBe(400);
    }
  });
});
