import { context, logs, metrics, propagation, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestTelemetry, type TestTelemetry } from './index.ts';

let telemetry: TestTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

describe('createTestTelemetry()', () => {
  it('records finished spans synchronously and builds the span tree', () => {
    telemetry = createTestTelemetry();
    const tracer = trace.getTracer('test');
    tracer.startActiveSpan('root', (root) => {
      tracer.startActiveSpan('child-a', (a) => {
        tracer.startSpan('grandchild').end();
        a.end();
      });
      tracer.startSpan('child-b').end();
      root.end();
    });
    expect(telemetry.spans().map((s) => s.name)).toEqual([
      'grandchild',
      'child-a',
      'child-b',
      'root',
    ]);
    expect(telemetry.findSpan('child-b')?.parentSpanContext?.spanId).toBe(
      telemetry.findSpan('root')?.spanContext().spanId,
    );
    const [root] = telemetry.spanTree();
    expect(root?.span.name).toBe('root');
    expect(root?.children.map((n) => n.span.name)).toEqual(['child-a', 'child-b']);
    expect(root?.children[0]?.children.map((n) => n.span.name)).toEqual(['grandchild']);
  });

  it('captures log records and collects metrics', async () => {
    telemetry = createTestTelemetry();
    logs.getLogger('test').emit({ body: 'hello' });
    metrics.getMeter('test').createCounter('jobs').add(2, { queue: 'mail' });
    expect(telemetry.logs().map((r) => r.body)).toEqual(['hello']);
    const jobs = await telemetry.findMetric('jobs');
    expect(jobs?.dataPoints[0]).toMatchObject({ value: 2, attributes: { queue: 'mail' } });
  });

  it('reset() forgets spans and log records', () => {
    telemetry = createTestTelemetry();
    trace.getTracer('test').startSpan('old').end();
    logs.getLogger('test').emit({ body: 'old' });
    telemetry.reset();
    expect(telemetry.spans()).toEqual([]);
    expect(telemetry.logs()).toEqual([]);
  });

  it('propagates W3C trace context through the registered propagator', () => {
    telemetry = createTestTelemetry();
    const span = trace.getTracer('test').startSpan('outgoing');
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    span.end();
    expect(carrier.traceparent).toBe(
      `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`,
    );
  });

  it('shutdown() unregisters the globals so the next instance starts clean', async () => {
    const first = createTestTelemetry();
    await first.shutdown();
    expect(trace.getTracer('test').startSpan('after').isRecording()).toBe(false);
    telemetry = createTestTelemetry();
    trace.getTracer('test').startSpan('fresh').end();
    expect(telemetry.spans().map((s) => s.name)).toEqual(['fresh']);
    expect(first.spans()).toEqual([]);
  });
});
