import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpanView, TracePage, Viewer } from '../src/index.ts';
import {
  childIdHex,
  jsonSpan,
  jsonTraceRequest,
  protobufTraceRequest,
  recentNs,
  rootIdHex,
  traceIdHex,
} from './otlp-requests.ts';
import { getJson, send, startTestViewer } from './support.ts';

// An exporter that timed out, or was answered 503, sends the same request again.

let viewer: Viewer;
beforeEach(async () => {
  viewer = await startTestViewer();
});
afterEach(() => viewer.close());

const protobuf = { 'Content-Type': 'application/x-protobuf' };
const json = { 'Content-Type': 'application/json' };
const exportSpans = async (spans: Record<string, unknown>[], service = 'users-api') => {
  const response = await send(`${viewer.url}/v1/traces`, {
    headers: protobuf,
    body: protobufTraceRequest(jsonTraceRequest(spans, service)),
  });
  expect(response.status).toBe(200);
};
const spansOf = async () =>
  (await getJson<{ spans: SpanView[] }>(viewer, `/api/traces/${traceIdHex}`)).spans;

const failed = jsonSpan({
  spanId: childIdHex,
  parentSpanId: rootIdHex,
  name: 'charge',
  status: { code: 2, message: 'declined' },
  events: [
    {
      timeUnixNano: String(recentNs + 1_000_000n),
      name: 'exception',
      attributes: [{ key: 'exception.type', value: { stringValue: 'PaymentError' } }],
    },
  ],
});

describe('a span sent again', () => {
  it('is stored once, and counted once in the trace, the errors and the service map', async () => {
    const caller = jsonSpan({ kind: 3, name: 'POST /charge' });
    await exportSpans([caller], 'shop');
    await exportSpans([failed], 'payments');
    await exportSpans([failed], 'payments');
    await exportSpans([caller], 'shop');
    expect((await spansOf()).map((s) => s.name)).toEqual(['POST /charge', 'charge']);
    const list = await getJson<TracePage>(viewer, '/api/traces');
    expect(list.traces[0]).toMatchObject({ spanCount: 2, errorCount: 1 });
    expect(await getJson(viewer, '/api/stats')).toMatchObject({ spans: 2, traces: 1 });
    const errors = await getJson<{ errors: { count: number }[] }>(viewer, '/api/errors');
    expect(errors.errors.map((e) => e.count)).toEqual([1]);
    const map = await getJson<{ edges: unknown[] }>(viewer, '/api/dependencies');
    expect(map.edges).toEqual([
      expect.objectContaining({ parent: 'shop', child: 'payments', calls: 1, errors: 1 }),
    ]);
  });

  it('keeps the first copy: a later one with the same trace and span id is dropped', async () => {
    await exportSpans([jsonSpan({ name: 'first copy' })]);
    await exportSpans([jsonSpan({ name: 'second copy' })]);
    // Twice within one request too.
    await exportSpans([
      jsonSpan({ spanId: childIdHex, name: 'child' }),
      jsonSpan({ spanId: childIdHex, name: 'child again' }),
    ]);
    expect((await spansOf()).map((s) => s.name).sort()).toEqual(['child', 'first copy']);
  });

  it('is stored once when a whole request of many traces is sent again', async () => {
    const spans = Array.from({ length: 2500 }, (_, i) =>
      jsonSpan({
        traceId: ((i % 300) + 1).toString(16).padStart(32, '0'),
        spanId: (i + 1).toString(16).padStart(16, '0'),
        name: `span ${i}`,
      }),
    );
    await exportSpans(spans);
    await exportSpans(spans);
    expect(await getJson(viewer, '/api/stats')).toMatchObject({ spans: 2500, traces: 300 });
  });
});

describe('a log record sent again', () => {
  const record = (body: string) => ({
    timeUnixNano: String(recentNs),
    severityNumber: 9,
    body: { stringValue: body },
    traceId: traceIdHex,
    spanId: rootIdHex,
  });
  const exportLogs = async (records: unknown[]) => {
    const response = await send(`${viewer.url}/v1/logs`, {
      headers: json,
      body: JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
            scopeLogs: [{ logRecords: records }],
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
  };

  it('is stored once when identical in content and time; records that differ are all kept', async () => {
    await exportLogs([record('charging card'), record('card declined')]);
    await exportLogs([record('charging card'), record('card declined')]);
    await exportLogs([record('charging card again')]);
    const { logs } = await getJson<{ logs: { body: unknown }[] }>(
      viewer,
      `/api/traces/${traceIdHex}/logs`,
    );
    expect(logs.map((l) => l.body)).toEqual([
      { stringValue: 'charging card' },
      { stringValue: 'card declined' },
      { stringValue: 'charging card again' },
    ]);
    const found = await getJson<{ total: number }>(viewer, '/api/logs?q=card');
    expect(found.total).toBe(3);
  });
});
