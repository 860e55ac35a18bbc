import { TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { type ResolvedOtlpExportConfig, resolveOtlpExportConfig } from './export-config.ts';
import { ExportPipeline } from './export-pipeline.ts';
import type { OtlpSpanProcessorOptions } from './otlp-export-options.ts';
import { encodeSpan } from './span-encoder.ts';

/**
 * A span processor with its own OTLP/HTTP protobuf exporter. Each sampled
 * span is encoded the moment it ends into a buffer bounded in bytes (the
 * processor keeps no reference to it); requests go out when
 * `maxRequestBytes` are pending or every `flushIntervalMs`, are retried by
 * the OTLP rules, and every span is counted in the `otel.sdk.*` self-metrics
 * as delivered, not delivered or dropped. Works with any SDK tracer provider;
 * with no options it reads the standard `OTEL_EXPORTER_OTLP_*` variables.
 *
 * @example
 * const provider = new TracerProvider({ spanProcessors: [new OtlpSpanProcessor()] });
 */
export class OtlpSpanProcessor implements SpanProcessor {
  readonly #pipeline: ExportPipeline<ReadableSpan>;

  /** @throws {TypeError | RangeError} when an option is invalid, naming it and its value. */
  constructor(options: OtlpSpanProcessorOptions = {}) {
    const config = resolveOtlpExportConfig('traces', options);
    this.#pipeline = new ExportPipeline(config, 'spans', encodeSpan, options.meterProvider);
  }

  /** The effective configuration (header values left out). */
  get config(): ResolvedOtlpExportConfig {
    return this.#pipeline.config;
  }

  /** Does nothing: a span is encoded when it ends. */
  onStart(): void {}

  /** Encodes a sampled span into the buffer, or counts it dropped; never throws. */
  onEnd(span: ReadableSpan): void {
    let sampled: boolean;
    try {
      sampled = (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
    } catch {
      return;
    }
    if (sampled) this.#pipeline.add(span);
  }

  /**
   * Tells the processor that the process is ending (`true`) or goes on after
   * all (`false`). While it ends, requests waiting to retry try again at once
   * and a backend that cannot be reached at all (connection refused, host not
   * found) is not retried: a flush before exit then ends as soon as that is
   * known, instead of keeping a process without a collector waiting for the
   * timeout. `shutdown()` does this by itself.
   */
  processEnding(ending: boolean): void {
    this.#pipeline.processEnding(ending);
  }

  /**
   * Sends what is buffered and waits up to `timeoutMs` for every request so far.
   * @throws {OtlpExportError} naming the endpoint and the reason when spans were not delivered.
   */
  forceFlush(): Promise<void> {
    return this.#pipeline.forceFlush();
  }

  /**
   * Stops taking spans, sends what is left, waits up to `timeoutMs`, then
   * closes its connections: nothing of it keeps the process alive after.
   * @throws {OtlpExportError} naming the endpoint and the reason when spans were not delivered.
   */
  shutdown(): Promise<void> {
    return this.#pipeline.shutdown();
  }
}
