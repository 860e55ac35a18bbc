import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportBatch, Origin, SpanRecord } from '../records.ts';
import { Store } from './store.ts';

const resource: Origin = { json: '{"attributes":[]}', service: 'svc', terms: [] };
const scope: Origin = { json: '{"name":"s"}', service: '', terms: [] };
const day = 24 * 60 * 60 * 1000;

function span(
  trace: number,
  id: number,
  startMs: number,
  parent = 0,
  name = `span ${id}`,
): SpanRecord {
  const startNs = BigInt(startMs) * 1_000_000n;
  return {
    traceId: trace.toString(16).padStart(32, '0'),
    spanId: id.toString(16).padStart(16, '0'),
    parentSpanId: parent ? parent.toString(16).padStart(16, '0') : '',
    name,
    kind: 1,
    startNs,
    endNs: startNs + 1_000_000n,
    statusCode: 0,
    statusMessage: '',
    traceState: '',
    flags: 0,
    attributes: '[]',
    events: '[]',
    links: '[]',
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    resource,
    scope,
    terms: [],
    route: '',
    database: '',
    urlFull: '',
    samplingReason: '',
    failure: undefined,
  };
}

const batch = (...records: SpanRecord[]): ExportBatch => ({
  signal: 'traces',
  records,
});

let store: Store | undefined;
afterEach(() => store?.close());

const open = (options: Partial<Parameters<typeof Store.open>[0]> = {}) => {
  store = Store.open({ path: ':memory:', maxSpans: 1_000, maxAgeMs: 7 * day, ...options });
  return store;
};
const traceIds = (s: Store) =>
  s.traces.list({ sort: 'recent', limit: 100 }).traces.map((t) => t.traceId.slice(-2));
const trimAll = (s: Store, nowMs?: number) => {
  while (s.trimStep(nowMs)) {}
};

describe('Store', () => {
  it('reads a trace back across batches, in start order', () => {
    const s = open();
    s.write([batch(span(1, 2, 1010, 1), span(2, 9, 500))]);
    s.write([batch(span(1, 1, 1000), span(1, 3, 1020, 2))]);
    expect(s.traces.get('1'.padStart(32, '0')).map((v) => v.spanId.slice(-1))).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('names a trace after its root, even when the root arrives last', () => {
    const s = open();
    s.write([batch(span(1, 2, 1010, 1, 'child'))]);
    expect(s.traces.list({ sort: 'recent', limit: 1 }).traces[0]).toMatchObject({
      rootName: 'child',
      hasRoot: false,
    });
    s.write([batch(span(1, 1, 1000, 0, 'root'))]);
    expect(s.traces.list({ sort: 'recent', limit: 1 }).traces[0]).toMatchObject({
      rootName: 'root',
      hasRoot: true,
      spanCount: 2,
      durationMs: 11,
    });
  });

  it('keeps at most maxSpans spans, removing whole traces in arrival order', () => {
    const s = open({ maxSpans: 4 });
    for (let trace = 1; trace <= 4; trace++) {
      s.write([batch(span(trace, 1, trace * 1000), span(trace, 2, trace * 1000 + 1, 1))]);
    }
    expect(s.overSpanLimit).toBe(true);
    trimAll(s);
    expect(s.spanCount).toBe(4);
    expect(traceIds(s)).toEqual(['04', '03']);
    expect(s.traces.get('1'.padStart(32, '0'))).toEqual([]);
  });

  it("lists a service's traces newest first, forgetting removed ones", () => {
    const s = open({ maxSpans: 2 });
    for (let trace = 1; trace <= 3; trace++) s.write([batch(span(trace, 1, trace * 1000))]);
    trimAll(s);
    const ids = s.traces
      .list({ service: 'svc', sort: 'recent', limit: 10 })
      .traces.map((t) => t.traceId);
    expect(ids.map((id) => id.slice(-2))).toEqual(['03', '02']);
  });

  it('finds rare long traces among many, and common ones, by minimum duration', () => {
    const s = open({ maxSpans: 10_000 });
    const records = Array.from({ length: 2_500 }, (_, i) => {
      const record = span(i + 1, 1, 1_000 + i);
      // Every tenth trace lasts 50 ms, one lasts 5 s.
      const ms = i === 7 ? 5_000 : i % 10 === 0 ? 50 : 1;
      return { ...record, endNs: record.startNs + BigInt(ms) * 1_000_000n };
    });
    s.write([batch(...records)]);
    const rare = s.traces.list({ minDurationMs: 1_000, sort: 'recent', limit: 5 });
    expect(rare.traces.map((t) => t.durationMs)).toEqual([5_000]);
    expect(rare.total).toBe(1);
    const common = s.traces.list({ minDurationMs: 10, sort: 'recent', limit: 3 });
    expect(common.total).toBe(251);
    expect(common.traces.map((t) => [t.traceId.slice(-3), t.durationMs])).toEqual([
      ['9bb', 50],
      ['9b1', 50],
      ['9a7', 50],
    ]);
  });

  it('removes traces older than maxAgeMs', () => {
    const s = open({ maxAgeMs: day });
    const now = Date.now();
    s.write([
      batch(span(1, 1, now - 3 * day)),
      batch(span(2, 1, now - 2 * day)),
      batch(span(3, 1, now)),
    ]);
    trimAll(s, now);
    expect(traceIds(s)).toEqual(['03']);
    expect(s.spanCount).toBe(1);
  });

  it('caps log records at maxSpans, oldest first', () => {
    const s = open({ maxSpans: 3 });
    const logs = Array.from({ length: 5 }, (_, i) => ({
      timeNs: BigInt(Date.now()) * 1_000_000n,
      observedTimeNs: 0n,
      severityNumber: 9,
      severityText: 'INFO',
      body: JSON.stringify(`log ${i}`),
      attributes: '[]',
      traceId: '1'.padStart(32, '0'),
      spanId: '',
      flags: 0,
      eventName: '',
      droppedAttributesCount: 0,
      resource,
      scope,
      text: `log ${i}`,
    }));
    s.write([{ signal: 'logs', records: logs }]);
    trimAll(s);
    const kept = s.logs.ofTrace('1'.padStart(32, '0')).map((log) => log.body);
    expect(kept).toEqual([
      { stringValue: 'log 2' },
      { stringValue: 'log 3' },
      { stringValue: 'log 4' },
    ]);
  });

  it('writes all batches of a commit or none', () => {
    const s = open();
    const broken = { ...span(1, 1, 1000), name: null as unknown as string };
    expect(() => s.write([batch(span(2, 1, 1000)), batch(broken)])).toThrow();
    expect(traceIds(s)).toEqual([]);
    s.write([batch(span(3, 1, 1000))]);
    expect(traceIds(s)).toEqual(['03']);
  });

  it('persists to a file in WAL mode and reopens it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otelkit-viewer-'));
    try {
      const path = join(dir, 'nested', 'viewer.db');
      const first = Store.open({ path, maxSpans: 10, maxAgeMs: day });
      first.write([batch(span(1, 1, Date.now()))]);
      first.close();
      const second = open({ path, maxSpans: 10, maxAgeMs: day });
      expect(traceIds(second)).toEqual(['01']);
      expect(second.spanCount).toBe(1);
      second.close();
      const other = new DatabaseSync(path);
      other.exec('PRAGMA user_version = 99');
      other.close();
      expect(() => Store.open({ path, maxSpans: 10, maxAgeMs: day })).toThrow(
        /another version of otelkit-viewer \(schema 99/,
      );
    } finally {
      store?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
