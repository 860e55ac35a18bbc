import { setTimeout as sleep } from 'node:timers/promises';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureWarnings, RecordingExporter } from '../test-support/exporters.ts';
import { startOtlpTraceSink } from '../test-support/otlp-trace-sink.ts';
import { setup } from './setup.ts';
import type { ResolvedConfig, Telemetry } from './setup-options.ts';

const live: Telemetry[] = [];
function configWith(env: Record<string, string>): ResolvedConfig {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const telemetry = setup({ exporter: undefined });
  live.push(telemetry);
  return telemetry.config;
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.allSettled(live.splice(0).map((t) => t.shutdown()));
});

describe('OTEL_* environment variables', () => {
  it.each<[Record<string, string>, (config: ResolvedConfig) => unknown, unknown]>([
    [{ OTEL_TRACES_EXPORTER: 'console' }, (c) => c.traces.exporters, ['console']],
    [{ OTEL_TRACES_EXPORTER: 'otlp,console' }, (c) => c.traces.exporters, ['otlp', 'console']],
    [{ OTEL_METRICS_EXPORTER: 'none' }, (c) => c.metrics.exporters, ['none']],
    [{ OTEL_LOGS_EXPORTER: 'console' }, (c) => c.logs.exporters, ['console']],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, (c) => c.logs.protocol, 'grpc'],
    [
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' },
      (c) => [c.traces.protocol, c.metrics.protocol],
      ['http/json', 'grpc'],
    ],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, (c) => c.sampler, 'always_off'],
    [
      { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' },
      (c) => [c.sampler, c.sampleRatio],
      ['parentbased_traceidratio', 0.25],
    ],
    [{ OTEL_BSP_SCHEDULE_DELAY: '200' }, (c) => c.traces.batch.scheduledDelayMillis, 200],
    [{ OTEL_BSP_EXPORT_TIMEOUT: '1000' }, (c) => c.traces.batch.exportTimeoutMillis, 1000],
    [{ OTEL_BSP_MAX_QUEUE_SIZE: '100' }, (c) => c.traces.batch.maxQueueSize, 100],
    [{ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '64' }, (c) => c.traces.batch.maxExportBatchSize, 64],
    [{ OTEL_METRIC_EXPORT_INTERVAL: '1500' }, (c) => c.metrics.intervalMs, 1500],
    [{ OTEL_SDK_DISABLED: 'true' }, (c) => c.disabled, true],
    [{ OTEL_SERVICE_NAME: 'billing' }, (c) => c.serviceName, 'billing'],
  ])('%j configures the setup', (env, read, expected) => {
    expect(read(configWith(env))).toEqual(expected);
  });

  it.each<[Record<string, string>, (config: ResolvedConfig) => unknown, unknown]>([
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, (c) => c.traces.exporters, ['otlp']],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml' }, (c) => c.traces.protocol, 'http/protobuf'],
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, (c) => c.sampler, 'parentbased_always_on'],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' },
      (c) => c.sampleRatio,
      1,
    ],
    [{ OTEL_BSP_SCHEDULE_DELAY: 'soon' }, (c) => c.traces.batch.scheduledDelayMillis, 5000],
    [{ OTEL_BSP_MAX_QUEUE_SIZE: '-1' }, (c) => c.traces.batch.maxQueueSize, 2048],
    [{ OTEL_METRIC_EXPORT_INTERVAL: '0' }, (c) => c.metrics.intervalMs, 60_000],
    [{ OTEL_SDK_DISABLED: 'yes' }, (c) => c.disabled, false],
  ])(
    'warns once naming the variable of invalid %j and uses the default',
    async (env, read, fallback) => {
      const warnings = captureWarnings();
      try {
        expect(read(configWith(env))).toEqual(fallback);
        await sleep(0);
        const [name] = Object.entries(env).at(-1)!;
        expect(warnings.messages).toHaveLength(1);
        expect(warnings.messages[0]).toContain(name);
      } finally {
        warnings.stop();
      }
    },
  );

  it('OTEL_TRACES_SAMPLER=always_off records nothing', async () => {
    vi.stubEnv('OTEL_TRACES_SAMPLER', 'always_off');
    const exporter = new RecordingExporter<ReadableSpan[]>();
    const telemetry = setup({ exporter: 'none', traces: { exporter } });
    live.push(telemetry);
    telemetry.tracer().startSpan('dropped').end();
    await telemetry.forceFlush();
    expect(exporter.exported.flat()).toEqual([]);
  });

  it('OTEL_BSP_SCHEDULE_DELAY exports spans without a flush', async () => {
    vi.stubEnv('OTEL_BSP_SCHEDULE_DELAY', '20');
    const exporter = new RecordingExporter<ReadableSpan[]>();
    const telemetry = setup({ exporter: 'none', traces: { exporter } });
    live.push(telemetry);
    telemetry.tracer().startSpan('soon').end();
    await vi.waitFor(() => expect(exporter.exported.flat()).toHaveLength(1), { timeout: 2000 });
  });

  it('OTEL_METRIC_EXPORT_INTERVAL exports metrics periodically', async () => {
    vi.stubEnv('OTEL_METRIC_EXPORT_INTERVAL', '30');
    const exporter = new RecordingExporter<ResourceMetrics>();
    const telemetry = setup({ exporter: 'none', metrics: { exporter } });
    live.push(telemetry);
    telemetry.meter().createCounter('ticks').add(1);
    await vi.waitFor(() => expect(exporter.exported.length).toBeGreaterThan(0), { timeout: 2000 });
  });

  it('OTLP endpoint, headers and protocol variables reach the exporter', async () => {
    const sink = await startOtlpTraceSink();
    try {
      vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', `${sink.url}/custom/traces`);
      vi.stubEnv('OTEL_EXPORTER_OTLP_HEADERS', 'x-api-team=core');
      vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json');
      const telemetry = setup({ metrics: { exporter: new RecordingExporter() } });
      live.push(telemetry);
      telemetry.tracer().startSpan('json').end();
      await telemetry.forceFlush();
      const request = sink.requests.find((r) => r.path === '/custom/traces');
      expect(request?.contentType).toBe('application/json');
      expect(request?.headers['x-api-team']).toBe('core');
    } finally {
      await sink.close();
    }
  });

  it('OTEL_EXPORTER_OTLP_TIMEOUT bounds an export to a silent backend', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => {}).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    const { port } = silent.address() as { port: number };
    try {
      vi.stubEnv('OTEL_EXPORTER_OTLP_TIMEOUT', '100');
      // The flush deadline is far away: only the exporter's own timeout can end the export.
      const telemetry = setup({
        endpoint: `http://127.0.0.1:${port}`,
        exporter: 'otlp',
        shutdownTimeoutMs: 600_000,
      });
      live.push(telemetry);
      telemetry.tracer().startSpan('slow').end();
      const failure = await telemetry.forceFlush().then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failure?.message).toMatch(/1 span was not exported to .*: timeout after 100 ms/);
      expect(failure?.message).not.toMatch(/timed out after 600000 ms/);
    } finally {
      silent.close();
    }
  });
});
