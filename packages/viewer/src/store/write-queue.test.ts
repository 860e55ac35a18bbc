import { afterEach, describe, expect, it } from 'vitest';
import type { ExportBatch, Origin, SpanRecord } from '../records.ts';
import { Store } from './store.ts';
import { WriteQueue } from './write-queue.ts';

const resource: Origin = { json: '{"attributes":[]}', service: 'svc', terms: [] };
const scope: Origin = { json: '{"name":"s"}', service: '', terms: [] };

function span(trace: number, name: string): SpanRecord {
  const startNs = BigInt(Date.now()) * 1_000_000n;
  return {
    traceId: trace.toString(16).padStart(32, '0'),
    spanId: '1'.padStart(16, '0'),
    parentSpanId: '',
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

const batch = (...records: SpanRecord[]): ExportBatch => ({ signal: 'traces', records });

let store: Store | undefined;
afterEach(() => store?.close());

describe('WriteQueue', () => {
  it('commits batches that arrive together, and a failing one fails only its own write', async () => {
    store = Store.open({ path: ':memory:', maxSpans: 1_000, maxAgeMs: 86_400_000 });
    const queue = new WriteQueue(store);
    // A name SQLite refuses (NOT NULL) stands for any record the store cannot hold.
    const broken = span(2, null as unknown as string);
    const outcomes = await Promise.allSettled([
      queue.write(batch(span(1, 'first'))),
      queue.write(batch(broken)),
      queue.write(batch(span(3, 'third'))),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const names = store.traces.list({ sort: 'recent', limit: 10 }).traces.map((t) => t.rootName);
    expect(names.sort()).toEqual(['first', 'third']);
  });

  it('commits at most maxRecords records at once, taking the rest in the next commit', async () => {
    store = Store.open({ path: ':memory:', maxSpans: 1_000, maxAgeMs: 86_400_000 });
    const commits: number[] = [];
    const write = store.write.bind(store);
    store.write = (batches) => {
      commits.push(batches.reduce((sum, b) => sum + b.records.length, 0));
      write(batches);
    };
    const queue = new WriteQueue(store, { maxRecords: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => queue.write(batch(span(n, `span ${n}`)))));
    expect(commits).toEqual([2, 2, 1]);
  });
});
