import { afterEach, describe, expect, it } from 'vitest';
import { captureWarnings } from '../test-support/exporters.ts';
import { exportHeaders, resolveOtlpExportConfig } from './export-config.ts';

let warnings: ReturnType<typeof captureWarnings> | undefined;
afterEach(() => warnings?.stop());

/** Lets the process warnings (emitted on the next tick) arrive. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('resolveOtlpExportConfig', () => {
  it('uses the OTLP defaults with an empty environment', () => {
    expect(resolveOtlpExportConfig('traces', {}, {})).toEqual({
      signal: 'traces',
      url: 'http://localhost:4318/v1/traces',
      headerNames: [],
      compression: 'none',
      timeoutMs: 10_000,
      maxQueueBytes: 8 * 1024 * 1024,
      maxRequestBytes: 1024 * 1024,
      flushIntervalMs: 1000,
      maxConcurrentRequests: 4,
      maxRetryTimeMs: 60_000,
      selfMetrics: true,
    });
    expect(resolveOtlpExportConfig('logs', {}, {}).url).toBe('http://localhost:4318/v1/logs');
  });

  it('takes the batch processor variables of the specification for its timing', () => {
    const env = { OTEL_BSP_SCHEDULE_DELAY: '250', OTEL_BSP_EXPORT_TIMEOUT: '5000' };
    expect(resolveOtlpExportConfig('traces', {}, env)).toMatchObject({
      flushIntervalMs: 250,
      maxRetryTimeMs: 5000,
    });
    const logs = { OTEL_BLRP_SCHEDULE_DELAY: '2000', OTEL_BLRP_EXPORT_TIMEOUT: '9000' };
    expect(resolveOtlpExportConfig('logs', {}, { ...env, ...logs })).toMatchObject({
      flushIntervalMs: 2000,
      maxRetryTimeMs: 9000,
    });
    // Code wins.
    expect(resolveOtlpExportConfig('traces', { flushIntervalMs: 10 }, env).flushIntervalMs).toBe(
      10,
    );
  });

  it('warns once that the count-based batch sizes do not apply, naming the byte bounds', async () => {
    warnings = captureWarnings();
    const env = { OTEL_BSP_MAX_QUEUE_SIZE: '4096', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1024' };
    const config = resolveOtlpExportConfig('traces', {}, env);
    resolveOtlpExportConfig('traces', {}, env);
    await settle();
    expect(config.maxQueueBytes).toBe(8 * 1024 * 1024);
    expect(warnings.messages.filter((m) => m.includes('OTEL_BSP_'))).toEqual([
      'otelkit: OTEL_BSP_MAX_QUEUE_SIZE does not apply to OtlpSpanProcessor, which bounds its queue and requests in bytes: set its maxQueueBytes and maxRequestBytes options instead',
      'otelkit: OTEL_BSP_MAX_EXPORT_BATCH_SIZE does not apply to OtlpSpanProcessor, which bounds its queue and requests in bytes: set its maxQueueBytes and maxRequestBytes options instead',
    ]);
  });

  it('appends the signal path to OTEL_EXPORTER_OTLP_ENDPOINT and takes the signal variable as is', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318/' };
    expect(resolveOtlpExportConfig('traces', {}, env).url).toBe('https://collector:4318/v1/traces');
    expect(
      resolveOtlpExportConfig(
        'logs',
        {},
        { ...env, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://loki:3100/otlp/v1/logs' },
      ).url,
    ).toBe('http://loki:3100/otlp/v1/logs');
    expect(resolveOtlpExportConfig('traces', { url: 'http://code/v1/traces' }, env).url).toBe(
      'http://code/v1/traces',
    );
  });

  it.each([['localhost:4318'], ['ftp://collector:4318'], ['not a url']])(
    'warns once naming the variable for the endpoint %j, and uses the default',
    async (value) => {
      warnings = captureWarnings();
      const env = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: value };
      expect(resolveOtlpExportConfig('traces', {}, env).url).toBe(
        'http://localhost:4318/v1/traces',
      );
      resolveOtlpExportConfig('traces', {}, env);
      await settle();
      const about = warnings.messages.filter((m) =>
        m.includes('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
      );
      expect(about).toHaveLength(1);
      expect(about[0]).toContain(JSON.stringify(value));
    },
  );

  it('reads headers from the environment, percent-decoded, under those of the code, and keeps their values out of the config', () => {
    const config = resolveOtlpExportConfig(
      'traces',
      { headers: { 'X-Team': 'code' } },
      {
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-team=env',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-signal=traces',
      },
    );
    expect(exportHeaders(config)).toEqual({
      authorization: 'Bearer abc',
      'x-team': 'code',
      'x-signal': 'traces',
    });
    expect(config.headerNames).toEqual(['authorization', 'x-team', 'x-signal']);
    expect(JSON.stringify(config)).not.toContain('abc');
  });

  it('reads timeout and compression per signal over the general variables, and warns about invalid ones', async () => {
    warnings = captureWarnings();
    const config = resolveOtlpExportConfig(
      'logs',
      {},
      {
        OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
        OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: '500',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'GZIP',
        OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'brotli',
      },
    );
    expect(config.timeoutMs).toBe(500);
    expect(config.compression).toBe('gzip');
    const traces = resolveOtlpExportConfig(
      'traces',
      {},
      {
        OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: 'soon',
        OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'brotli',
      },
    );
    expect(traces.timeoutMs).toBe(10_000);
    expect(traces.compression).toBe('none');
    await settle();
    expect(
      warnings.messages.some((m) => m.includes('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT="soon"')),
    ).toBe(true);
    expect(
      warnings.messages.some((m) => m.includes('OTEL_EXPORTER_OTLP_TRACES_COMPRESSION="brotli"')),
    ).toBe(true);
  });

  it.each([
    [{ url: 'localhost:4318' }, /invalid option url = "localhost:4318"/],
    [{ maxQueueBytes: 0 }, /invalid option maxQueueBytes = 0/],
    [{ maxConcurrentRequests: 1.5 }, /invalid option maxConcurrentRequests = 1.5/],
    [{ compression: 'brotli' as 'gzip' }, /invalid option compression = "brotli"/],
    [{ timeoutMs: '100' as unknown as number }, /invalid option timeoutMs = "100"/],
    [{ headers: { 'bad header': 'x' } }, /invalid option headers.bad header/],
  ])('fails fast on the code option %j, naming it and its value', (options, message) => {
    expect(() => resolveOtlpExportConfig('traces', options, {})).toThrow(message);
  });

  it('keeps a request no larger than the queue', () => {
    const config = resolveOtlpExportConfig('traces', { maxQueueBytes: 1000 }, {});
    expect(config.maxRequestBytes).toBe(1000);
  });
});
