import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { createTestTelemetry, type TestTelemetry } from 'otelkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { setup } from '../setup/setup.ts';
import { counter, gauge, histogram, upDownCounter } from './instruments.ts';

// Created at import time, before any meter provider exists, as user code does.
const importedEarly = counter<{ 'order.channel': string }>('orders.placed');

let telemetry: TestTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

function points(metric: MetricData | undefined): DataPoint<unknown>[] {
  return (metric?.dataPoints ?? []) as DataPoint<unknown>[];
}

class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

describe('typed instruments', () => {
  it('record after setup() when created before it', async () => {
    expect(metrics.getMeterProvider().constructor.name).toBe('NoopMeterProvider');
    importedEarly.add(5, { 'order.channel': 'lost' });

    const reader = new ManualReader();
    const live = setup({ exporter: 'none', metrics: { readers: [reader] } });
    try {
      importedEarly.add(2, { 'order.channel': 'web' });
      const { resourceMetrics } = await reader.collect();
      const metric = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((m) => m.descriptor.name === 'orders.placed');

      expect(points(metric).map((p) => [p.attributes, p.value])).toEqual([
        [{ 'order.channel': 'web' }, 2],
      ]);
    } finally {
      await live.shutdown();
    }
  });

  it('follow the global provider when it is replaced', async () => {
    const jobs = counter('jobs.done');
    telemetry = createTestTelemetry();
    jobs.add(1);
    expect(points(await telemetry.findMetric('jobs.done'))[0]?.value).toBe(1);
    await telemetry.shutdown();

    telemetry = createTestTelemetry();
    jobs.add(3);
    expect(points(await telemetry.findMetric('jobs.done'))[0]?.value).toBe(3);
  });

  it('belong to the otelkit meter unless given a scope', async () => {
    const reader = new ManualReader();
    const live = setup({ exporter: 'none', metrics: { readers: [reader] } });
    try {
      counter('default.scope').add(1);
      counter('own.scope', { scope: 'billing' }).add(1);
      const { resourceMetrics } = await reader.collect();
      const scopeOf = new Map(
        resourceMetrics.scopeMetrics.flatMap((scope) =>
          scope.metrics.map((m) => [m.descriptor.name, scope.scope.name] as const),
        ),
      );

      expect(scopeOf.get('default.scope')).toBe('otelkit');
      expect(scopeOf.get('own.scope')).toBe('billing');
    } finally {
      await live.shutdown();
    }
  });

  it('count up and down, record histograms with bucket advice, and gauges', async () => {
    telemetry = createTestTelemetry();
    const active = upDownCounter<{ queue: string }>('queue.active', { unit: '{job}' });
    const latency = histogram<{ route: string }>('request.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.1, 0.5, 1] },
    });
    const temperature = gauge<{ room: string }>('room.temperature', { unit: 'Cel' });

    active.add(3, { queue: 'mail' });
    active.add(-1, { queue: 'mail' });
    latency.record(0.2, { route: '/users' });
    latency.record(0.7, { route: '/users' });
    temperature.record(20, { room: 'lab' });
    temperature.record(21.5, { room: 'lab' });

    expect(points(await telemetry.findMetric('queue.active'))[0]?.value).toBe(2);
    const histogramPoint = points(await telemetry.findMetric('request.duration'))[0];
    expect((histogramPoint?.value as Histogram | undefined)?.buckets).toEqual({
      boundaries: [0.1, 0.5, 1],
      counts: [0, 1, 1, 0],
    });
    expect(points(await telemetry.findMetric('room.temperature'))[0]?.value).toBe(21.5);
  });
});
