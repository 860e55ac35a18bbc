import type { MeterProvider } from '@opentelemetry/api';

/**
 * Options shared by `OtlpSpanProcessor` and `OtlpLogRecordProcessor`. Every
 * one is optional: the OTLP ones fall back to the standard
 * `OTEL_EXPORTER_OTLP[_TRACES|_LOGS]_*` environment variables, the timing ones
 * to `OTEL_BSP_*` / `OTEL_BLRP_*`, then to the defaults below. Code wins over
 * the environment. The count-based `OTEL_BSP_MAX_QUEUE_SIZE` and
 * `…_MAX_EXPORT_BATCH_SIZE` do not apply (the bounds are in bytes): setting
 * them logs a warning that names `maxQueueBytes` and `maxRequestBytes`.
 */
export interface OtlpExportOptions {
  /**
   * The full URL of the signal, path included.
   * @default `OTEL_EXPORTER_OTLP_{TRACES,LOGS}_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces` or `/v1/logs`, else `http://localhost:4318/v1/traces` or `…/v1/logs`
   * @example 'https://otlp.example.com/v1/traces'
   */
  url?: string;
  /**
   * Headers sent with every request, over those of `OTEL_EXPORTER_OTLP[_SIGNAL]_HEADERS`.
   * @example { authorization: `Bearer ${process.env.OTLP_TOKEN}` }
   */
  headers?: Record<string, string>;
  /**
   * Request body compression; gzip runs off the main thread.
   * @default `OTEL_EXPORTER_OTLP[_SIGNAL]_COMPRESSION`, else 'none'
   */
  compression?: 'gzip' | 'none';
  /**
   * How long one attempt may take, and how long `forceFlush()` and `shutdown()` wait.
   * @default `OTEL_EXPORTER_OTLP[_SIGNAL]_TIMEOUT`, else 10000
   */
  timeoutMs?: number;
  /**
   * The bytes of encoded records held for export (queued, retrying or in flight);
   * a record that would pass it is dropped and counted.
   * @default 8388608 (8 MiB)
   */
  maxQueueBytes?: number;
  /**
   * A request goes out as soon as this many encoded bytes are pending. A
   * single record larger than this is dropped and counted (`error.type`
   * `too_large`), never sent: it cannot spoil the batch it would travel in.
   * @default 1048576 (1 MiB)
   */
  maxRequestBytes?: number;
  /**
   * The longest a record waits before a request carries it.
   * @default `OTEL_BSP_SCHEDULE_DELAY` (spans) or `OTEL_BLRP_SCHEDULE_DELAY` (log records), else 1000
   */
  flushIntervalMs?: number;
  /**
   * Requests in flight at once, retries included.
   * @default 4
   */
  maxConcurrentRequests?: number;
  /**
   * How long one request may be retried, from its first attempt: the
   * specification's maximum time to export a batch.
   * @default `OTEL_BSP_EXPORT_TIMEOUT` (spans) or `OTEL_BLRP_EXPORT_TIMEOUT` (log records), else 60000
   */
  maxRetryTimeMs?: number;
  /**
   * Where the `otel.sdk.*` self-metrics go.
   * @default the global meter provider of `@opentelemetry/api`, looked up when needed, so one registered later is used
   */
  meterProvider?: MeterProvider;
  /**
   * Record the `otel.sdk.*` self-metrics (processed, exported, queue size, in flight, duration).
   * @default true
   */
  selfMetrics?: boolean;
}

/** Options of `OtlpSpanProcessor`. */
export interface OtlpSpanProcessorOptions extends OtlpExportOptions {}

/** Options of `OtlpLogRecordProcessor`. */
export interface OtlpLogRecordProcessorOptions extends OtlpExportOptions {}
