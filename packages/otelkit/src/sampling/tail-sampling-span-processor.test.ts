import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { expectEveryRecordAccounted } from '../export/test-support/self-metrics.ts';
import { TailSampler } from './tail-sampler.ts';
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

describe('TailSamplingSpanProcessor', () => {
  it('keeps a trace with an error in any span, complete, though its sampled flag says not sampled', async () => {
    const h = await harness({ ratio: 0 });
    const root = h.tracer.startSpan('POST /orders', { kind: SpanKind.SERVER });
    const ok = h.child(root, 'load cart');
    ok.end();
    const failing = h.child(root, 'charge card');
    failing.setStatus({ code: SpanStatusCode.ERROR, message: 'declined' });
    failing.end();
    root.end();
    await h.processor.forceFlush();

    const traceId = root.spanContext().traceId;
    expect(root.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0);
    expect(h.received(traceId)).toEqual(['POST /orders', 'charge card', 'load cart']);
    const sent = h.sink.spans.find((span) => span.name === 'POST /orders')!;
    expect(sent.attributes['otelkit.sampling.reason']).toBe('error');
    // Only the local root carries the reason.
    expect(h.sink.spans.filter((s) => 'otelkit.sampling.reason' in s.attributes)).toHaveLength(1);
    expect((await h.counts()).decisions).toEqual({ error: 1 });
  });

  it('drops an ordinary trace whole: nothing sent, counted dropped, no export failure counted', async () => {
    const h = await harness({ ratio: 0 });
    for (let i = 0; i < 5; i++) {
      const root = h.tracer.startSpan('GET /items/:id');
      h.child(root, 'SELECT items').end();
      root.end();
    }
    await h.processor.forceFlush();
    expect(h.sink.spans).toEqual([]);
    const { decisions, accounting } = await h.counts();
    expect(decisions).toEqual({ dropped: 5 });
    expectEveryRecordAccounted(accounting, 0, 0);
    expect(h.processor.pendingCount).toBe(0);
  });

  it('keeps a trace whose local root lasted keepSlowerThanMs or longer, not one a millisecond shorter', async () => {
    const h = await harness({ ratio: 0, keepSlowerThanMs: 500 });
    const start = Date.now();
    const slow = h.tracer.startSpan('GET /report', { startTime: start });
    h.child(slow, 'render', { startTime: start }).end(start + 400);
    slow.end(start + 500);
    const quick = h.tracer.startSpan('GET /report', { startTime: start });
    quick.end(start + 499);
    await h.processor.forceFlush();
    expect(h.received(slow.spanContext().traceId)).toEqual(['GET /report', 'render']);
    expect(h.received(quick.spanContext().traceId)).toEqual([]);
    expect(h.sink.spans.find((s) => s.name === 'GET /report')!.attributes).toMatchObject({
      'otelkit.sampling.reason': 'slow',
    });
    expect((await h.counts()).decisions).toEqual({ slow: 1, dropped: 1 });
  });

  it('keeps a trace with an SLA miss, and leaves errors and SLA misses to the ratio when told to', async () => {
    const h = await harness({ ratio: 0 });
    const root = h.tracer.startSpan('GET /quote');
    h.child(root, 'pricing.quote', { attributes: { 'sla.met': false } }).end();
    root.end();
    const lax = await harness({ ratio: 0, keepErrors: false, keepSlaMisses: false });
    const other = lax.tracer.startSpan('GET /quote');
    lax.child(other, 'pricing.quote', { attributes: { 'sla.met': false } }).end();
    other.setStatus({ code: SpanStatusCode.ERROR });
    other.end();
    await Promise.all([h.processor.forceFlush(), lax.processor.forceFlush()]);
    expect(h.received(root.spanContext().traceId)).toEqual(['GET /quote', 'pricing.quote']);
    expect((await h.counts()).decisions).toEqual({ sla: 1 });
    expect(lax.sink.spans).toEqual([]);
    expect((await lax.counts()).decisions).toEqual({ dropped: 1 });
  });

  it('keeps the ratio’s share by trace id, each trace whole, and says so in the sampled flag', async () => {
    const h = await harness({ ratio: 0.5 }, { seed: 42 });
    const roots = Array.from({ length: 200 }, () => {
      const root = h.tracer.startSpan('GET /');
      h.child(root, 'work').end();
      root.end();
      return root;
    });
    await h.processor.forceFlush();
    const kept = roots.filter((root) => h.ratio.keeps(root.spanContext().traceId));
    expect(kept.length).toBeGreaterThan(70);
    expect(kept.length).toBeLessThan(130);
    for (const root of roots) {
      const { traceId, traceFlags } = root.spanContext();
      const keeps = h.ratio.keeps(traceId);
      expect(h.received(traceId)).toEqual(keeps ? ['GET /', 'work'] : []);
      expect(traceFlags & TraceFlags.SAMPLED).toBe(keeps ? 1 : 0);
      expect(h.traceparent(root).endsWith(keeps ? '-01' : '-00')).toBe(true);
    }
    expect(
      h.sink.spans
        .filter((s) => s.name === 'GET /')
        .map((s) => s.attributes['otelkit.sampling.reason']),
    ).toEqual(kept.map(() => 'ratio'));
    expect((await h.counts()).decisions).toEqual({
      ratio: kept.length,
      dropped: 200 - kept.length,
    });
  });

  it('sends no span of a dropped trace that ends after its root, even one started after the root ended', async () => {
    const h = await harness({ ratio: 0 });
    const dropped = h.tracer.startSpan('GET /fire-and-forget');
    const lateChild = h.child(dropped, 'send email');
    dropped.end();
    // Decided and let go; the late spans still find the decision.
    await h.processor.forceFlush();
    const afterRoot = h.child(dropped, 'audit log');
    const grandchild = h.child(afterRoot, 'INSERT audit');
    grandchild.setStatus({ code: SpanStatusCode.ERROR });
    grandchild.end();
    afterRoot.end();
    lateChild.end();

    const kept = h.tracer.startSpan('GET /fire-and-forget');
    const keptLate = h.child(kept, 'send email');
    kept.setStatus({ code: SpanStatusCode.ERROR });
    kept.end();
    await h.processor.forceFlush();
    h.child(kept, 'audit log').end();
    keptLate.end();
    await h.processor.forceFlush();

    expect(h.received(dropped.spanContext().traceId)).toEqual([]);
    expect(h.received(kept.spanContext().traceId)).toEqual([
      'GET /fire-and-forget',
      'audit log',
      'send email',
    ]);
    // The late error of the dropped trace changed nothing and was counted nowhere as a failure.
    const { decisions, accounting } = await h.counts();
    expect(decisions).toEqual({ dropped: 1, error: 1 });
    expectEveryRecordAccounted(accounting, 3, 3);
  });

  it('decides two local roots of one trace on their own: a failing request does not keep its ordinary sibling', async () => {
    const h = await harness({ ratio: 0 });
    const traceId = '5b8efff798038103d269b633813fc60c';
    const first = h.tracer.startSpan('GET /a', { kind: SpanKind.SERVER }, h.remote(traceId));
    const second = h.tracer.startSpan(
      'GET /b',
      { kind: SpanKind.SERVER },
      h.remote(traceId, 'eee19b7ec3c1b174'),
    );
    h.child(first, 'query a').end();
    h.child(second, 'query b').end();
    second.setStatus({ code: SpanStatusCode.ERROR });
    second.end();
    first.end();
    await h.processor.forceFlush();
    expect(h.received(traceId)).toEqual(['GET /b', 'query b']);
    expect((await h.counts()).decisions).toEqual({ error: 1, dropped: 1 });
  });

  it('ignores the sampled flag of a remote parent: the ratio decides, the same in every service', async () => {
    const h = await harness({ ratio: 0.5 }, { seed: 3 });
    const traceIds = ['0af7651916cd43dd8448eb211c80319c', '4bf92f3577b34da6a3ce929d0e0e4736'];
    for (const traceId of traceIds) {
      for (const sampled of [true, false]) {
        const server = h.tracer.startSpan('GET /', {}, h.remote(traceId, undefined, sampled));
        expect(server.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(
          h.ratio.keeps(traceId) ? 1 : 0,
        );
        server.end();
      }
    }
    expect(traceIds.map((id) => h.ratio.keeps(id))).toEqual([false, true]);
  });

  it('links spans that take no new property, through a map, alike', async () => {
    const h = await harness({ ratio: 0 });
    // Spans of another provider, made non-extensible, handed to the processor by hand.
    const other = new TracerProvider({ sampler: new TailSampler(h.ratio) }).getTracer('other');
    const root = Object.preventExtensions(other.startSpan('GET /frozen'));
    h.processor.onStart(root as never, ROOT_CONTEXT);
    const child = Object.preventExtensions(
      other.startSpan('query', {}, trace.setSpan(ROOT_CONTEXT, root)),
    );
    h.processor.onStart(child as never, trace.setSpan(ROOT_CONTEXT, root));
    child.setStatus({ code: SpanStatusCode.ERROR });
    child.end();
    h.processor.onEnd(child as never);
    expect(h.processor.buffers.count).toBe(1);
    root.end();
    h.processor.onEnd(root as never);
    await h.processor.forceFlush();
    expect(h.received(root.spanContext().traceId)).toEqual(['GET /frozen', 'query']);
  });
});
