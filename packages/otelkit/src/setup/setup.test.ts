import { setTimeout as sleep } from 'node:timers/promises';
import { context, trace } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureWarnings, FailingExporter, RecordingExporter } from '../test-support/exporters.ts';
import { librarySetsUp } from '../test-support/first-setup.ts';
import { startOtlpTraceSink } from '../test-support/otlp-trace-sink.ts';
import { setup } from './setup.ts';
import { isSetupError, SetupError } from './setup-error.ts';
import type { Telemetry } from './setup-options.ts';

const live: Telemetry[] = [];
function start(...args: Parameters<typeof setup>): Telemetry {
  const telemetry = setup(...args);
  live.push(telemetry);
  return telemetry;
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.allSettled(live.splice(0).map((t) => t.shutdown()));
});

describe('setup()', () => {
  it('exports spans over OTLP http/protobuf with the service resource', async () => {
    const sink = await startOtlpTraceSink();
    try {
      const telemetry = start({
        service: {
          name: 'users-api',
          version: '1.4.0',
          environment: 'production',
          deploymentId: 'd-42',
          region: 'eu-west-1',
        },
        endpoint: sink.url,
        headers: { 'x-tenant': 'acme' },
      });
      telemetry.tracer().startSpan('GET /users').end();
      await telemetry.forceFlush();

      expect(sink.requests[0]).toMatchObject({
        path: '/v1/traces',
        contentType: 'application/x-protobuf',
        headers: { 'x-tenant': 'acme' },
      });
      const [span] = sink.spans;
      expect(span?.name).toBe('GET /users');
      expect(span?.resource).toMatchObject({
        'service.name': 'users-api',
        'service.version': '1.4.0',
        'deployment.environment.name': 'production',
        'deployment.id': 'd-42',
        'cloud.region': 'eu-west-1',
        'telemetry.sdk.language': 'nodejs',
        'telemetry.distro.name': 'otelkit',
      });
      expect(span?.resource['service.instance.id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(span?.resource['host.name']).toBeTypeOf('string');
      expect(span?.resource['process.pid']).toBe(process.pid);
      expect(span?.resource).not.toHaveProperty('process.command_args');
    } finally {
      await sink.close();
    }
  });

  it('reads the OTLP endpoint and service name from the environment', async () => {
    const sink = await startOtlpTraceSink();
    try {
      vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', sink.url);
      vi.stubEnv('OTEL_SERVICE_NAME', 'from-env');
      vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'team=payments,service.instance.id=i-7');
      const telemetry = start({ exporter: 'otlp' });
      telemetry.tracer().startSpan('job').end();
      await telemetry.forceFlush();
      expect(sink.spans[0]?.resource).toMatchObject({
        'service.name': 'from-env',
        team: 'payments',
        'service.instance.id': 'i-7',
      });
    } finally {
      await sink.close();
    }
  });

  it('lets code win over the environment', () => {
    vi.stubEnv('OTEL_SERVICE_NAME', 'from-env');
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'console');
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'grpc');
    vi.stubEnv('OTEL_TRACES_SAMPLER', 'always_off');
    const telemetry = start({
      service: { name: 'from-code' },
      exporter: 'none',
      protocol: 'http/json',
      sampleRatio: 0.5,
    });
    expect(telemetry.resource.attributes['service.name']).toBe('from-code');
    expect(telemetry.config.traces.exporters).toEqual(['none']);
    expect(telemetry.config.traces.protocol).toBe('http/json');
    expect([telemetry.config.sampler, telemetry.config.sampleRatio]).toEqual([
      'parentbased_traceidratio',
      0.5,
    ]);
  });

  it('returns the same handle while live, warns once when options differ, and starts anew after shutdown', async () => {
    const warnings = captureWarnings();
    try {
      const first = start({ exporter: 'none' });
      expect(setup({ exporter: 'none' })).toBe(first);
      expect(setup({ exporter: 'console' })).toBe(first);
      expect(setup({ exporter: 'otlp' })).toBe(first);
      await sleep(0);
      expect(warnings.messages.filter((m) => m.includes('already live'))).toHaveLength(1);

      await first.shutdown();
      const second = start({ exporter: 'none' });
      expect(second).not.toBe(first);
    } finally {
      warnings.stop();
    }
  });

  it('names the module that set up first, and its service, when another call comes', async () => {
    const warnings = captureWarnings();
    try {
      live.push(librarySetsUp());
      start({ service: { name: 'users-api' }, exporter: 'none' });
      await sleep(0);
      const warning = warnings.messages.find((m) => m.includes('already live'));
      expect(warning).toMatch(
        /^otelkit: setup\(\) is already live \(set up first by \/.*\/test-support\/first-setup\.ts:\d+, service "some-library"\); the new options are ignored/,
      );
    } finally {
      warnings.stop();
    }
  });

  it('returns a working no-op handle when OTEL_SDK_DISABLED=true', async () => {
    vi.stubEnv('OTEL_SDK_DISABLED', 'true');
    const exporter = new RecordingExporter<ReadableSpan[]>();
    const telemetry = start({ traces: { exporter } });
    expect(telemetry.config.disabled).toBe(true);
    const span = telemetry.tracer().startSpan('ignored');
    expect(span.isRecording()).toBe(false);
    span.end();
    await telemetry.forceFlush();
    await telemetry.shutdown();
    expect(exporter.exported).toEqual([]);
  });

  it('rejects shutdown with one error per failing signal, after flushing the healthy one', async () => {
    const metricsExporter = new RecordingExporter<ResourceMetrics>();
    const telemetry = start({
      exporter: 'none',
      traces: { exporter: new FailingExporter('trace backend down') },
      metrics: { exporter: metricsExporter },
      logs: { exporter: new FailingExporter('log backend down') },
    });
    telemetry.tracer().startSpan('lost').end();
    telemetry.meter().createCounter('jobs').add(3);
    telemetry.logger().emit({ body: 'lost too' });

    const error = await telemetry.shutdown().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AggregateError);
    const errors = (error as AggregateError).errors as Error[];
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^traces shutdown failed: .*trace backend down/),
      expect.stringMatching(/^logs shutdown failed: .*log backend down/),
    ]);
    const exported = metricsExporter.exported.flatMap((r) =>
      r.scopeMetrics.flatMap((s) => s.metrics),
    );
    expect(exported.map((m) => m.descriptor.name)).toContain('jobs');
    // Idempotent: the same outcome, no second shutdown of the providers.
    await expect(telemetry.shutdown()).rejects.toBe(error);
  });

  it('bounds shutdown by shutdownTimeoutMs when an exporter hangs', async () => {
    const hanging = {
      export: () => {},
      shutdown: () => new Promise<void>(() => {}),
      forceFlush: () => new Promise<void>(() => {}),
    };
    const telemetry = start({
      exporter: 'none',
      shutdownTimeoutMs: 50,
      traces: { exporter: hanging },
    });
    telemetry.tracer().startSpan('stuck').end();
    const started = Date.now();
    await expect(telemetry.shutdown()).rejects.toThrow(/traces/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('emits logs and metrics through the global providers', async () => {
    const logsExporter = new RecordingExporter<ReadableLogRecord[]>();
    const telemetry = start({ exporter: 'none', logs: { exporter: logsExporter } });
    const span = telemetry.tracer().startSpan('parent');
    context.with(trace.setSpan(context.active(), span), () =>
      telemetry.logger().emit({ body: 'hello', attributes: { k: 1 } }),
    );
    span.end();
    await telemetry.forceFlush();
    const [record] = logsExporter.exported.flat();
    expect(record?.body).toBe('hello');
    expect(record?.spanContext?.traceId).toBe(span.spanContext().traceId);
  });

  it('flushes before exit only while live: shutdown() removes its beforeExit listener', async () => {
    const before = process.listenerCount('beforeExit');
    const telemetry = start({ exporter: 'none' });
    expect(process.listenerCount('beforeExit')).toBe(before + 1);
    await telemetry.shutdown();
    expect(process.listenerCount('beforeExit')).toBe(before);
  });

  it('is disposable with await using', async () => {
    const exporter = new RecordingExporter<ReadableSpan[]>();
    {
      await using telemetry = setup({ exporter: 'none', traces: { exporter } });
      telemetry.tracer().startSpan('scoped').end();
    }
    expect(exporter.exported.flat().map((s) => s.name)).toEqual(['scoped']);
    const next = start({ exporter: 'none' });
    expect(next.config.disabled).toBe(false);
  });
});

describe('setup() validation', () => {
  it.each([
    [{ service: { name: '' } }, 'service.name', '""'],
    [{ service: { name: 'a', version: '' } }, 'service.version', '""'],
    [{ endpoint: 'localhost:4318' }, 'endpoint', '"localhost:4318"'],
    [{ endpoint: 'ftp://collector' }, 'endpoint', '"ftp://collector"'],
    [{ endpoint: 'http://host:4318/v1/traces' }, 'endpoint', '"http://host:4318/v1/traces"'],
    [{ endpoint: 'http://host:4318/v1/logs/' }, 'endpoint', '"http://host:4318/v1/logs/"'],
    [{ protocol: 'http/xml' }, 'protocol', '"http/xml"'],
    [{ exporter: 'jaeger' }, 'exporter', '"jaeger"'],
    [{ sampleRatio: 1.5 }, 'sampleRatio', '1.5'],
    [{ sampleRatio: -0.1 }, 'sampleRatio', '-0.1'],
    [{ shutdownTimeoutMs: 0 }, 'shutdownTimeoutMs', '0'],
    [{ metrics: { intervalMs: -5 } }, 'metrics.intervalMs', '-5'],
  ])('throws SetupError for %j naming %s', (options, option, value) => {
    let thrown: unknown;
    try {
      setup(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SetupError);
    expect(isSetupError(thrown)).toBe(true);
    expect((thrown as SetupError).option).toBe(option);
    expect((thrown as Error).message).toContain(`${option} = ${value}`);
  });
});
