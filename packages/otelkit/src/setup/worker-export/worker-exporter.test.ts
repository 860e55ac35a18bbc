import { context, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startOtlpTraceSink } from '../../test-support/otlp-trace-sink.ts';
import { setup } from '../setup.ts';
import type { Telemetry } from '../setup-options.ts';

let telemetry: Telemetry | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await telemetry?.shutdown().catch(() => {});
  telemetry = undefined;
});

describe('exportInWorker', () => {
  it('exports spans with their attributes, parents, events and links through the worker', async () => {
    const sink = await startOtlpTraceSink();
    try {
      telemetry = setup({
        service: { name: 'worker-export', version: '2.0.0' },
        endpoint: sink.url,
        exportInWorker: true,
        metrics: {
          exporter: {
            export: (_m, done) => done({ code: 0 }),
            forceFlush: async () => {},
            shutdown: async () => {},
          },
        },
        exporter: 'otlp',
      });
      const tracer = telemetry.tracer('worker-test', '1.2.3');
      const parent = tracer.startSpan('parent', { kind: SpanKind.SERVER });
      context.with(trace.setSpan(context.active(), parent), () => {
        const child = tracer.startSpan('child', {
          attributes: { 'db.system.name': 'sqlite', rows: 3, cached: false, tags: ['a', 'b'] },
          links: [{ context: parent.spanContext(), attributes: { why: 'because' } }],
        });
        child.addEvent('retry', { 'retry.attempt': 1 });
        child.end();
      });
      parent.end();
      await telemetry.forceFlush();

      const byName = Object.fromEntries(sink.spans.map((s) => [s.name, s]));
      expect(Object.keys(byName).sort()).toEqual(['child', 'parent']);
      expect(byName.child?.traceId).toBe(parent.spanContext().traceId);
      expect(byName.child?.attributes).toMatchObject({
        'db.system.name': 'sqlite',
        rows: 3,
        cached: false,
      });
      expect(byName.parent?.resource).toMatchObject({
        'service.name': 'worker-export',
        'service.version': '2.0.0',
      });
    } finally {
      await sink.close();
    }
  });

  it('reports an export the worker could not deliver through forceFlush', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_TIMEOUT', '300');
    telemetry = setup({ endpoint: 'http://127.0.0.1:9', exportInWorker: true, exporter: 'otlp' });
    telemetry.tracer().startSpan('nowhere').end();
    await expect(telemetry.forceFlush()).rejects.toThrow(/traces flush failed/);
  });
});
