import { context, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterEach, expect, it } from 'vitest';
import type { LogView, MetricView, Viewer } from '../src/index.ts';
import { getJson, startTestViewer } from './support.ts';

let viewer: Viewer;
afterEach(() => viewer?.close());

const resource = resourceFromAttributes({ 'service.name': 'billing' });

it('stores SDK log records and serves those of a trace, correlated by ids', async () => {
  viewer = await startTestViewer();
  const tracer = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
  }).getTracer('t');
  const logs = new LoggerProvider({
    resource,
    processors: [
      new SimpleLogRecordProcessor({
        exporter: new OTLPLogExporter({ url: `${viewer.url}/v1/logs` }),
      }),
    ],
  });
  const span = tracer.startSpan('invoice');
  const logger = logs.getLogger('billing-logger');
  logger.emit({
    body: 'invoice failed',
    severityNumber: 17,
    severityText: 'ERROR',
    attributes: { 'invoice.id': 7 },
    context: trace.setSpan(context.active(), span),
  });
  logger.emit({ body: 'unrelated', severityNumber: 9, severityText: 'INFO' });
  span.end();
  await logs.forceFlush();
  await logs.shutdown();

  const { traceId, spanId } = span.spanContext();
  const { logs: stored } = await getJson<{ logs: LogView[] }>(
    viewer,
    `/api/traces/${traceId}/logs`,
  );
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({
    body: { stringValue: 'invoice failed' },
    severityNumber: 17,
    severityText: 'ERROR',
    attributes: [{ key: 'invoice.id', value: { intValue: '7' } }],
    traceId,
    spanId,
    service: 'billing',
    scope: { name: 'billing-logger' },
  });
});

it('serves the latest point of SDK counters and histograms', async () => {
  viewer = await startTestViewer();
  const exporter = new OTLPMetricExporter({ url: `${viewer.url}/v1/metrics` });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const meters = new MeterProvider({ resource, readers: [reader] });
  const meter = meters.getMeter('billing-meter');
  const counter = meter.createCounter('invoices.sent', { unit: '{invoice}' });
  const histogram = meter.createHistogram('invoice.duration', { unit: 'ms' });
  counter.add(2, { region: 'eu' });
  histogram.record(3);
  histogram.record(40);
  await meters.forceFlush();
  counter.add(3, { region: 'eu' });
  await meters.forceFlush();
  await meters.shutdown();

  const { metrics } = await getJson<{ metrics: MetricView[] }>(viewer, '/api/metrics');
  const counterView = metrics.find((m) => m.name === 'invoices.sent')!;
  expect(counterView).toMatchObject({ type: 'sum', unit: '{invoice}', service: 'billing' });
  expect(counterView.points).toHaveLength(1);
  expect(counterView.points[0]).toMatchObject({
    attributes: [{ key: 'region', value: { stringValue: 'eu' } }],
    asDouble: 5,
    isMonotonic: true,
    aggregationTemporality: 2,
  });
  const histogramView = metrics.find((m) => m.name === 'invoice.duration')!;
  expect(histogramView.type).toBe('histogram');
  const point = histogramView.points[0]!;
  expect(point).toMatchObject({ count: '2', sum: 43, min: 3, max: 40 });
  expect((point.bucketCounts as string[]).map(Number).reduce((a, b) => a + b)).toBe(2);
  expect((point.explicitBounds as number[]).length).toBe(
    (point.bucketCounts as string[]).length - 1,
  );

  const only = await getJson<{ metrics: MetricView[] }>(
    viewer,
    '/api/metrics?name=invoice.duration',
  );
  expect(only.metrics.map((m) => m.name)).toEqual(['invoice.duration']);
});

it("charts an SDK histogram's quantiles within the min and max it recorded", async () => {
  viewer = await startTestViewer();
  const exporter = new OTLPMetricExporter({ url: `${viewer.url}/v1/metrics` });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const meters = new MeterProvider({ resource, readers: [reader] });
  const histogram = meters.getMeter('billing-meter').createHistogram('checkout.duration', {
    unit: 'ms',
  });
  // The slowest lands in the default bucket (500, 750]: read from the buckets alone, the p99
  // would be about 733 ms, slower than any checkout took.
  for (const ms of [12, 35, 48, 90, 180, 240, 600]) histogram.record(ms);
  await meters.forceFlush();
  await meters.shutdown();
  const view = await getJson<{ series: { points: { p99: number | null }[] }[] }>(
    viewer,
    `/api/metrics/series?name=checkout.duration&since=${Date.now() - 600_000}`,
  );
  const p99 = view.series[0]!.points.map((p) => p.p99).filter((v) => v !== null);
  expect(p99.length).toBeGreaterThan(0);
  for (const value of p99) {
    expect(value).toBeGreaterThan(500);
    expect(value).toBeLessThanOrEqual(600);
  }
});

it('stores, serves and finds log events by their name, and links dd-trace’s Buffer-shaped ids', async () => {
  viewer = await startTestViewer();
  const now = String(BigInt(Date.now()) * 1_000_000n);
  const traceId = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');
  const spanId = Buffer.from('eee19b7ec3c1b174', 'hex');
  const body = {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
        scopeLogs: [
          {
            logRecords: [
              // An event without a body.
              { timeUnixNano: now, eventName: 'checkout.completed', severityNumber: 9 },
              // dd-trace writes ids as a serialized Node.js Buffer.
              {
                timeUnixNano: now,
                body: { stringValue: 'charging card' },
                traceId: { type: 'Buffer', data: [...traceId] },
                spanId: { type: 'Buffer', data: [...spanId] },
              },
              // A Buffer that is not bytes refuses its record, never stored unlinked.
              {
                timeUnixNano: now,
                body: { stringValue: 'broken ids' },
                traceId: { type: 'Buffer', data: [1, 2, 300] },
              },
            ],
          },
        ],
      },
    ],
  };
  const response = await fetch(`${viewer.url}/v1/logs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect((await response.json()) as unknown).toEqual({
    partialSuccess: {
      rejectedLogRecords: '1',
      errorMessage: expect.stringContaining('invalid trace id'),
    },
  });
  const found = await getJson<{ logs: LogView[]; total: number }>(
    viewer,
    '/api/logs?q=checkout.completed',
  );
  expect(found.total).toBe(1);
  expect(found.logs[0]).toMatchObject({ eventName: 'checkout.completed', body: {} });
  const linked = await getJson<{ logs: LogView[] }>(
    viewer,
    '/api/traces/5b8efff798038103d269b633813fc60c/logs',
  );
  expect(linked.logs.map((l) => [l.body, l.spanId])).toEqual([
    [{ stringValue: 'charging card' }, 'eee19b7ec3c1b174'],
  ]);
});
