// setup()'s export of spans and log records: otelkit's processors, their
// accounting in the self-metrics, and failures that name the endpoint.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closedPort } from '../export/test-support/closed-port.ts';
import {
  type FakeOtlpBackend,
  startFakeOtlpBackend,
} from '../export/test-support/fake-otlp-backend.ts';
import { captureWarnings } from '../test-support/exporters.ts';
import { setup } from './setup.ts';
import type { Telemetry } from './setup-options.ts';

const live: Telemetry[] = [];
const backends: FakeOtlpBackend[] = [];

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.allSettled(live.splice(0).map((telemetry) => telemetry.shutdown()));
  await Promise.allSettled(backends.splice(0).map((backend) => backend.stop()));
});

async function backend(): Promise<FakeOtlpBackend> {
  const started = await startFakeOtlpBackend('traces');
  backends.push(started);
  return started;
}

/** Every metric export the reader made, until shutdown's last one. */
function metricsReader() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 600_000 });
  const sumOf = (name: string, errorType?: string) => {
    const last = exporter.getMetrics().at(-1);
    let total = 0;
    for (const scope of last?.scopeMetrics ?? []) {
      for (const metric of scope.metrics) {
        if (metric.descriptor.name !== name) continue;
        for (const point of metric.dataPoints) {
          if (point.attributes['error.type'] === errorType) total += point.value as number;
        }
      }
    }
    return total;
  };
  return { reader, sumOf };
}

describe("setup()'s OTLP/HTTP protobuf export", () => {
  it('delivers every span and reports the final counts in the metrics exported at shutdown', async () => {
    const sink = await backend();
    vi.stubEnv('OTEL_METRICS_EXPORTER', 'none');
    vi.stubEnv('OTEL_LOGS_EXPORTER', 'none');
    const { reader, sumOf } = metricsReader();
    const telemetry = setup({
      service: { name: 'accounted' },
      endpoint: sink.url.replace('/v1/traces', ''),
      metrics: { readers: [reader] },
    });
    live.push(telemetry);
    for (let i = 0; i < 250; i++) telemetry.tracer().startSpan(`work ${i}`).end();
    await telemetry.shutdown();
    expect(sink.delivered).toBe(250);
    // Metrics shut down after traces: their last export already holds the final counts.
    expect(sumOf('otel.sdk.exporter.span.exported')).toBe(250);
    expect(sumOf('otel.sdk.processor.span.processed')).toBe(250);
  });

  it('counts nothing with selfMetrics: false', async () => {
    const sink = await backend();
    vi.stubEnv('OTEL_METRICS_EXPORTER', 'none');
    vi.stubEnv('OTEL_LOGS_EXPORTER', 'none');
    const { reader, sumOf } = metricsReader();
    const telemetry = setup({
      endpoint: sink.url.replace('/v1/traces', ''),
      selfMetrics: false,
      metrics: { readers: [reader] },
    });
    live.push(telemetry);
    trace.getTracer('t').startSpan('quiet').end();
    await telemetry.shutdown();
    expect(sink.delivered).toBe(1);
    expect(sumOf('otel.sdk.exporter.span.exported')).toBe(0);
  });

  it('rejects shutdown at once naming where spans and metrics went and why when nothing listens', async () => {
    const port = await closedPort();
    vi.stubEnv('OTEL_LOGS_EXPORTER', 'none');
    // Deadlines far beyond the test's timeout: only giving up on the refused backend ends shutdown.
    vi.stubEnv('OTEL_EXPORTER_OTLP_TIMEOUT', '600000');
    const warnings = captureWarnings();
    try {
      const telemetry = setup({ endpoint: `http://127.0.0.1:${port}`, shutdownTimeoutMs: 600_000 });
      live.push(telemetry);
      telemetry.tracer().startSpan('lost').end();
      telemetry.meter().createCounter('lost.too').add(1);
      const failure = await telemetry.shutdown().then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failure?.message).toContain(`http://127.0.0.1:${port}/v1/traces: connection refused`);
      expect(failure?.message).toContain(`http://127.0.0.1:${port}/v1/metrics: connection refused`);
    } finally {
      warnings.stop();
    }
  });

  it('names the path to drop when the base endpoint already ends in /v1/{signal}', async () => {
    // A collector: every path but its own answers 404.
    const collector = createServer((req, res) => {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
    });
    collector.listen(0, '127.0.0.1');
    await once(collector, 'listening');
    const base = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    vi.stubEnv('OTEL_LOGS_EXPORTER', 'none');
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', `${base}/v1/traces`);
    const warnings = captureWarnings();
    try {
      const telemetry = setup({ service: { name: 'misconfigured' } });
      live.push(telemetry);
      telemetry.tracer().startSpan('lost').end();
      telemetry.meter().createCounter('orders').add(1);
      const failure = await telemetry.shutdown().then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      const hint =
        'the base endpoint already ended in /v1/traces: drop that path from OTEL_EXPORTER_OTLP_ENDPOINT, /v1/{signal} is appended to it';
      expect(failure?.message).toContain(
        `1 span was not exported to ${base}/v1/traces/v1/traces: HTTP 404; ${hint}`,
      );
      expect(failure?.message).toMatch(/ metric data points? (?:was|were) not exported to /);
      expect(failure?.message).toContain(
        `not exported to ${base}/v1/traces/v1/metrics: HTTP 404; ${hint}`,
      );
    } finally {
      warnings.stop();
      collector.closeAllConnections();
      collector.close();
    }
  });

  it('rejects shutdown at once when only metrics were recorded and nothing listens', async () => {
    const port = await closedPort();
    vi.stubEnv('OTEL_EXPORTER_OTLP_TIMEOUT', '600000');
    const telemetry = setup({ endpoint: `http://127.0.0.1:${port}`, shutdownTimeoutMs: 600_000 });
    live.push(telemetry);
    telemetry.meter().createCounter('orders').add(1);
    const failure = await telemetry.shutdown().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(
      /^otelkit: shutdown failed: otelkit: \d+ metric data points? (was|were) not exported to http:\/\/127\.0\.0\.1:\d+\/v1\/metrics: connection refused$/,
    );
    expect(failure?.message).toContain(`:${port}/`);
  });

  it('ignores an OTLP endpoint variable without a scheme, naming it, and keeps a valid one', async () => {
    const sink = await backend();
    vi.stubEnv('OTEL_METRICS_EXPORTER', 'none');
    vi.stubEnv('OTEL_LOGS_EXPORTER', 'none');
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'localhost:4318');
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', sink.url);
    const warnings = captureWarnings();
    try {
      const telemetry = setup({ service: { name: 'typo' } });
      live.push(telemetry);
      expect(telemetry.config.traces.endpoint).toBe(sink.url);
      telemetry.tracer().startSpan('delivered').end();
      await telemetry.shutdown();
      expect(sink.delivered).toBe(1);
      expect(warnings.messages.filter((m) => m.includes('OTEL_EXPORTER_OTLP_ENDPOINT'))).toEqual([
        'otelkit: ignoring OTEL_EXPORTER_OTLP_ENDPOINT="localhost:4318" (expected an http:// or https:// URL); using the default',
      ]);
    } finally {
      warnings.stop();
    }
  });

  it('falls back to the default endpoint for a variable that is not http(s)', () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'ftp://collector:4318');
    const warnings = captureWarnings();
    try {
      const telemetry = setup({ exporter: 'none' });
      live.push(telemetry);
      expect(telemetry.config.traces.endpoint).toBe('http://localhost:4318/v1/traces');
      expect(telemetry.config.logs.endpoint).toBe('http://localhost:4318/v1/logs');
    } finally {
      warnings.stop();
    }
  });
});
