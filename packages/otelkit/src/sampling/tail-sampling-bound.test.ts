import { type Span, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectEveryRecordAccounted } from '../export/test-support/self-metrics.ts';
import { startTailHarness, type TailHarness } from './test-support/tail-harness.ts';

const harnesses: TailHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function harness(...args: Parameters<typeof startTailHarness>): Promise<TailHarness> {
  const started = await startTailHarness(...args);
  harnesses.push(started);
  return started;
}

/** A request whose root stays open: two spans under it end at once, the second failing when asked. */
function openTrace(h: TailHarness, failing: boolean): Span {
  const root = h.tracer.startSpan('GET /stream', { attributes: { 'url.path': '/stream' } });
  h.child(root, 'SELECT rows', { attributes: { 'db.query.text': 'SELECT * FROM rows' } }).end();
  const second = h.child(root, 'render');
  if (failing) second.setStatus({ code: SpanStatusCode.ERROR, message: 'template missing' });
  second.end();
  return root;
}

describe('tail sampling within maxBufferBytes', () => {
  it('holds the bound under a flood of open traces, deciding the oldest early, every local root counted once', async () => {
    const maxBufferBytes = 16 * 1024;
    const h = await harness({ ratio: 0, maxBufferBytes });
    const roots: Span[] = [];
    for (let i = 0; i < 1000; i++) {
      roots.push(openTrace(h, i % 50 === 0));
      expect(h.processor.buffers.bytes).toBeLessThanOrEqual(maxBufferBytes);
    }
    const early = (await h.counts()).decisions.early ?? 0;
    // The bound was used, and most traces could not wait in it.
    expect(h.processor.buffers.peakBytes).toBeGreaterThan(maxBufferBytes * 0.9);
    expect(early).toBeGreaterThan(800);
    for (const root of roots) root.end();
    await h.processor.forceFlush();

    const { decisions, accounting } = await h.counts();
    expect(decisions.early).toBe(early);
    expect((decisions.error ?? 0) + (decisions.dropped ?? 0) + (decisions.early ?? 0)).toBe(1000);
    expect(decisions.dropped).toBeGreaterThan(0);
    // Every failing request complete, whether decided early or at its root; nothing else.
    const failing = roots.filter((_, i) => i % 50 === 0);
    for (const root of failing) {
      expect(h.received(root.spanContext().traceId)).toEqual([
        'GET /stream',
        'SELECT rows',
        'render',
      ]);
    }
    expect(h.sink.spans).toHaveLength(failing.length * 3);
    expect(
      h.sink.spans
        .filter((s) => s.name === 'GET /stream')
        .every((s) => s.attributes['otelkit.sampling.reason'] === 'error'),
    ).toBe(true);
    expectEveryRecordAccounted(accounting, failing.length * 3, failing.length * 3);
    expect(h.processor.pendingCount).toBe(0);
  });

  it('decides a trace at once when one of its spans alone passes the bound, and follows the decision', async () => {
    const h = await harness({ ratio: 1, maxBufferBytes: 1024 });
    const root = h.tracer.startSpan('POST /upload');
    h.child(root, 'parse', { attributes: { 'payload.sample': 'x'.repeat(4000) } }).end();
    expect(h.processor.buffers.peakBytes).toBe(0);
    h.child(root, 'store').end();
    root.end();
    await h.processor.forceFlush();
    expect(h.received(root.spanContext().traceId)).toEqual(['POST /upload', 'parse', 'store']);
    expect((await h.counts()).decisions).toEqual({ early: 1 });
  });

  it('decides spans whose root has not ended after maxTraceWaitMs, keeping what is known to fail or be slow', async () => {
    const h = await harness({ ratio: 0, maxTraceWaitMs: 300, keepSlowerThanMs: 250 });
    const failing = openTrace(h, true);
    await vi.waitFor(() => expect(h.processor.buffers.count).toBe(0), { timeout: 10_000 });
    // Waited past keepSlowerThanMs already: slow whatever comes.
    const slow = h.tracer.startSpan('GET /export');
    h.child(slow, 'zip').end();
    await vi.waitFor(() => expect(h.processor.buffers.count).toBe(0), { timeout: 10_000 });
    await h.processor.forceFlush();
    expect(h.received(failing.spanContext().traceId)).toEqual(['SELECT rows', 'render']);
    expect(h.received(slow.spanContext().traceId)).toEqual(['zip']);
    // A quick request with nothing held waits for its root, which decides it.
    const ordinary = h.tracer.startSpan('GET /poll');
    for (const root of [failing, ordinary, slow]) root.end();
    await h.processor.forceFlush();
    expect(h.received(failing.spanContext().traceId)).toEqual([
      'GET /stream',
      'SELECT rows',
      'render',
    ]);
    expect(h.received(slow.spanContext().traceId)).toEqual(['GET /export', 'zip']);
    const reasons = h.sink.spans
      .map((s) => s.attributes['otelkit.sampling.reason'])
      .filter(Boolean);
    expect(reasons.sort()).toEqual(['error', 'slow']);
    expect((await h.counts()).decisions).toEqual({ early: 2, dropped: 1 });
  });

  it('decides every waiting trace at shutdown, sending the kept ones, and counts them pending until then', async () => {
    const h = await harness({ ratio: 0 });
    const failing = openTrace(h, true);
    openTrace(h, false);
    expect(h.processor.pendingCount).toBe(4);
    await h.processor.forceFlush();
    // An ordinary flush leaves them waiting for their roots.
    expect(h.processor.pendingCount).toBe(4);
    expect(h.sink.spans).toEqual([]);
    await h.processor.shutdown();
    expect(h.processor.pendingCount).toBe(0);
    expect(h.received(failing.spanContext().traceId)).toEqual(['SELECT rows', 'render']);
    const { decisions, accounting } = await h.counts();
    expect(decisions).toEqual({ early: 2 });
    expectEveryRecordAccounted(accounting, 2, 2);
  });

  it('decides every waiting trace when a flush runs as the process ends', async () => {
    const h = await harness({ ratio: 0 });
    const failing = openTrace(h, true);
    h.processor.processEnding(true, 1000);
    await h.processor.forceFlush();
    h.processor.processEnding(false);
    expect(h.received(failing.spanContext().traceId)).toEqual(['SELECT rows', 'render']);
    expect(h.processor.pendingCount).toBe(0);
  });
});
