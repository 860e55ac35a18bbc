import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type {
  AggregationTemporality,
  AggregationTemporalitySelector,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { loadPackage } from '../internal/load-package.ts';
import { timedOut, UNREACHABLE } from './attempt-result.ts';
import {
  type ExportEnv,
  exportHeaders,
  type ResolvedOtlpExportConfig,
  resolveOtlpExportConfig,
} from './export-config.ts';
import { FailureReporter } from './failure-reporter.ts';
import {
  resolveTemporalityPreference,
  type TemporalityPreference,
  temporalitySelector,
} from './metric-temporality.ts';
import { OtlpExportError } from './otlp-export-error.ts';
import type { OtlpExportOptions } from './otlp-export-options.ts';
import { OtlpHttpSender } from './otlp-http-sender.ts';
import { ProcessDeadline } from './process-deadline.ts';
import { RetryPolicy } from './retry-policy.ts';

/** Options of `OtlpMetricExporter`; each falls back to the `OTEL_EXPORTER_OTLP[_METRICS]_*` variables. */
export interface OtlpMetricExporterOptions
  extends Pick<OtlpExportOptions, 'url' | 'headers' | 'compression' | 'timeoutMs'> {
  /**
   * How long one export may take, its retries included: the next collection
   * supersedes it.
   * @default the export's `timeoutMs`
   */
  maxRetryTimeMs?: number;
  /**
   * Which instruments are exported as deltas.
   * @default `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, else 'cumulative'
   */
  temporalityPreference?: TemporalityPreference;
}

/**
 * A push metric exporter sending OTLP/HTTP protobuf: the official
 * serializer's bytes, sent by otelkit's sender, so metrics follow the same
 * rules as spans and log records: OTLP retries, one failure report per
 * outage naming the URL, nothing retried past the end of the process, and
 * nothing of it keeping the process alive after `shutdown()`.
 *
 * @example
 * const reader = new PeriodicExportingMetricReader({ exporter: new OtlpMetricExporter() });
 */
export class OtlpMetricExporter implements PushMetricExporter {
  /** The effective configuration (header values left out). */
  readonly config: ResolvedOtlpExportConfig;
  readonly #sender: OtlpHttpSender;
  readonly #retry: RetryPolicy;
  /** How long one export may take, retries included. */
  readonly #budgetMs: number;
  readonly #reporter: FailureReporter;
  readonly #temporality: AggregationTemporalitySelector;
  readonly #deadline = new ProcessDeadline();
  readonly #exports = new Set<Promise<unknown>>();
  #shutdown: Promise<void> | undefined;

  /** @throws {TypeError | RangeError} when an option is invalid, naming it and its value. */
  constructor(options: OtlpMetricExporterOptions = {}, env: ExportEnv = process.env) {
    // Loaded with the exporter, not at its first export, a minute into the app's life.
    metricsSerializer();
    const { temporalityPreference, ...exportOptions } = options;
    this.config = resolveOtlpExportConfig('metrics', exportOptions, env);
    this.#temporality = temporalitySelector(
      resolveTemporalityPreference(temporalityPreference, env),
    );
    this.#sender = new OtlpHttpSender({
      ...this.config,
      maxConcurrentRequests: 1,
      headers: exportHeaders(this.config),
    });
    // A collection is superseded by the next one: like the official exporter, one export with
    // its retries takes at most the export timeout, unless told otherwise.
    this.#budgetMs = options.maxRetryTimeMs ?? this.config.timeoutMs;
    this.#retry = new RetryPolicy(this.#budgetMs);
    this.#reporter = new FailureReporter({
      item: 'metric data point',
      items: 'metric data points',
      url: this.config.url,
      maxRetryTimeMs: this.#budgetMs,
    });
  }

  /** Sends one collection; `done` is called once, with a failure naming the URL and reason. */
  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    if (this.#shutdown !== undefined) {
      done({ code: ExportResultCode.FAILED, error: new Error('the exporter is shut down') });
      return;
    }
    const running = this.#send(metrics).then(done, (error: unknown) =>
      done({ code: ExportResultCode.FAILED, error: error as Error }),
    );
    this.#exports.add(running);
    void running.finally(() => this.#exports.delete(running));
  }

  /** The temporality per instrument of the configured preference. */
  selectAggregationTemporality(type: InstrumentType): AggregationTemporality {
    return this.#temporality(type);
  }

  /** See `OtlpSpanProcessor.processEnding`: the same, for metrics. */
  processEnding(ending: boolean, timeLeftMs?: number): void {
    this.#reporter.ending(ending);
    this.#deadline.set(ending, timeLeftMs);
  }

  /** Waits for the exports under way, up to `timeoutMs` or the end of the process. */
  async forceFlush(): Promise<void> {
    await this.#deadline.wait([...this.#exports], this.config.timeoutMs);
  }

  /** Waits for the exports under way (as `forceFlush`), then cuts them short and closes the connections. */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.processEnding(true, this.#deadline.leftMs(this.config.timeoutMs));
      await this.forceFlush();
      this.#deadline.cut();
      await Promise.allSettled(this.#exports);
      this.#sender.close();
    })();
    return this.#shutdown;
  }

  async #send(metrics: ResourceMetrics): Promise<ExportResult> {
    const points = dataPoints(metrics);
    const serialized = metricsSerializer().serializeRequest(metrics);
    if (serialized === undefined) throw new Error('the metrics could not be serialized');
    const body = await this.#sender.prepare(
      Buffer.from(serialized.buffer, serialized.byteOffset, serialized.byteLength),
    );
    const first = performance.now();
    const budgetMs = this.#budgetMs;
    for (let attempt = 1; ; attempt++) {
      const cut = this.#deadline.signal;
      const leftMs = first + budgetMs - performance.now();
      const result =
        leftMs > 0
          ? await this.#sender.send(
              body,
              AbortSignal.any([cut, AbortSignal.timeout(Math.ceil(leftMs))]),
            )
          : timedOut(budgetMs);
      if (result.delivered) {
        if (result.rejected > 0) {
          this.#reporter.lost(
            result.rejected,
            `the backend rejected ${result.rejected} of ${points} metric data points (${result.rejectedMessage || 'partial success'})`,
          );
        }
        this.#reporter.succeeded();
        return { code: ExportResultCode.SUCCESS };
      }
      const late = performance.now() - first >= budgetMs;
      const reason = cut.aborted
        ? this.#deadline.reason()
        : late
          ? `timeout after ${budgetMs} ms`
          : result.reason;
      const retryable =
        result.retryable &&
        !cut.aborted &&
        !late &&
        !(this.#deadline.ending && UNREACHABLE.has(result.errorType));
      const delay = retryable
        ? this.#retry.delay(attempt, performance.now() - first, result.retryAfterMs)
        : undefined;
      this.#reporter.attemptFailed(reason, delay !== undefined, points);
      const wait =
        delay !== undefined && this.#deadline.ending
          ? RetryPolicy.whileEnding(delay, result)
          : delay;
      if (wait === undefined || !(await this.#deadline.sleep(wait))) {
        this.#reporter.lost(points, reason);
        const error = new OtlpExportError('metric data points', this.config.url, reason, points);
        return { code: ExportResultCode.FAILED, error };
      }
    }
  }
}

/** Data points in a collection, for the failure messages. */
function dataPoints(metrics: ResourceMetrics): number {
  let count = 0;
  for (const scope of metrics.scopeMetrics) {
    for (const metric of scope.metrics) count += metric.dataPoints.length;
  }
  return count;
}

let serializer: typeof ProtobufMetricsSerializer | undefined;

/**
 * The official OTLP/protobuf serializer of metrics, loaded when the first
 * exporter is made: `otlp-transformer` (all of its signals and encodings)
 * stays out of `import 'otelkit/setup'`.
 */
function metricsSerializer(): typeof ProtobufMetricsSerializer {
  serializer ??= loadPackage<{ ProtobufMetricsSerializer: typeof ProtobufMetricsSerializer }>(
    '@opentelemetry/otlp-transformer',
  ).ProtobufMetricsSerializer;
  return serializer;
}
