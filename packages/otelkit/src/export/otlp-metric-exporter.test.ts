import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExportResultCode } from '@opentelemetry/core';
import {
  CumulativeTemporalitySelector,
  DeltaTemporalitySelector,
  LowMemoryTemporalitySelector,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OfficialExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  InstrumentType,
  MeterProvider,
  MetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { OtlpMetricExporter } from './otlp-metric-exporter.ts';
import { closedPort } from './test-support/closed-port.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A metrics endpoint on loopback answering each request as `answer` says (`hang`: never). */
async function endpoint(answer: (index: number) => number | 'hang' = () => 200) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      const status = answer(received.length - 1);
      if (status !== 'hang') response.writeHead(status).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`;
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return { url, received };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

class ManualReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** One collection of every instrument kind, with the given temporality. */
async function collection(temporality: AggregationTemporality): Promise<ResourceMetrics> {
  const reader = new ManualReader({ aggregationTemporalitySelector: () => temporality });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'metrics-differential', 'host.cores': 2 }),
    readers: [reader],
  });
  const meter = provider.getMeter('orders', '1.2.0');
  meter.createCounter('orders.placed', { unit: '{order}' }).add(3, { region: 'eu' });
  meter.createUpDownCounter('orders.open').add(-2, { region: 'us' });
  const histogram = meter.createHistogram('orders.duration', { unit: 's' });
  for (const value of [0.004, 0.2, 7, 12_000]) histogram.record(value, { 'http.route': '/o/:id' });
  meter.createGauge('orders.queue').record(17.5);
  meter
    .createObservableGauge('process.memory')
    .addCallback((result) => result.observe(2 ** 40, { kind: 'heap' }));
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

function exportOnce(exporter: PushMetricExporter, metrics: ResourceMetrics) {
  return new Promise<{ code: ExportResultCode; error?: Error }>((resolve) =>
    exporter.export(metrics, resolve),
  );
}

describe('OtlpMetricExporter', () => {
  it.each([AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA])(
    'sends the same bytes as the official OTLP/protobuf metric exporter (temporality %i)',
    async (temporality) => {
      const ours = await endpoint();
      const theirs = await endpoint();
      const metrics = await collection(temporality);
      const exporter = new OtlpMetricExporter({ url: ours.url });
      const official = new OfficialExporter({ url: theirs.url });
      expect((await exportOnce(exporter, metrics)).code).toBe(ExportResultCode.SUCCESS);
      expect((await exportOnce(official, metrics)).code).toBe(ExportResultCode.SUCCESS);
      await Promise.all([exporter.shutdown(), official.shutdown()]);

      expect(ours.received).toHaveLength(1);
      expect(ours.received[0]!.body.length).toBeGreaterThan(200);
      expect(Buffer.compare(ours.received[0]!.body, theirs.received[0]!.body)).toBe(0);
      expect(ours.received[0]!.headers['content-type']).toBe(
        theirs.received[0]!.headers['content-type'],
      );
    },
  );

  it('chooses the temporality of each instrument as the official exporter does, for every preference', () => {
    const official = {
      cumulative: CumulativeTemporalitySelector,
      delta: DeltaTemporalitySelector,
      lowmemory: LowMemoryTemporalitySelector,
    };
    const types = Object.values(InstrumentType);
    for (const preference of ['cumulative', 'delta', 'lowmemory'] as const) {
      const ours = new OtlpMetricExporter({
        url: 'http://127.0.0.1:1/v1/metrics',
        temporalityPreference: preference,
      });
      expect(types.map((type) => ours.selectAggregationTemporality(type))).toEqual(
        types.map((type) => official[preference](type)),
      );
    }
    const fromEnv = new OtlpMetricExporter(
      { url: 'http://127.0.0.1:1/v1/metrics' },
      { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta' },
    );
    expect(fromEnv.selectAggregationTemporality(InstrumentType.COUNTER)).toBe(
      AggregationTemporality.DELTA,
    );
  });

  it('retries a 503 and delivers', async () => {
    const backend = await endpoint((index) => (index === 0 ? 503 : 200));
    const exporter = new OtlpMetricExporter({ url: backend.url, timeoutMs: 10_000 });
    cleanups.push(() => exporter.shutdown());
    const result = await exportOnce(exporter, await collection(AggregationTemporality.CUMULATIVE));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(backend.received).toHaveLength(2);
  });

  it('gives one export, retries included, no longer than its timeout, naming the URL and reason', async () => {
    const backend = await endpoint(() => 429);
    const exporter = new OtlpMetricExporter({ url: backend.url, timeoutMs: 300 });
    cleanups.push(() => exporter.shutdown());
    const result = await exportOnce(exporter, await collection(AggregationTemporality.CUMULATIVE));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(
      new RegExp(`^otelkit: \\d+ metric data points were not exported to ${backend.url}: `),
    );
  });

  it('does not retry a backend nobody listens at once the process is ending', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1/metrics`;
    // Far beyond the test's own timeout: only giving up can end the export.
    const exporter = new OtlpMetricExporter({ url, timeoutMs: 600_000 });
    exporter.processEnding(true);
    const result = await exportOnce(exporter, await collection(AggregationTemporality.CUMULATIVE));
    expect(result.error?.message).toContain(`${url}: connection refused`);
    await exporter.shutdown();
  });

  it('cuts an export short when the time left to end is up', async () => {
    const backend = await endpoint(() => 'hang');
    const exporter = new OtlpMetricExporter({ url: backend.url, timeoutMs: 600_000 });
    const exported = exportOnce(exporter, await collection(AggregationTemporality.CUMULATIVE));
    exporter.processEnding(true, 100);
    const result = await exported;
    expect(result.error?.message).toContain('no answer within the time left to end (100 ms)');
    await exporter.shutdown();
  });
});
