import { TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { resolveOtlpExportConfig } from './export-config.ts';
import type { OtlpSpanProcessorOptions } from './otlp-export-options.ts';
import { OtlpProcessor } from './otlp-processor.ts';
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
export class OtlpSpanProcessor extends OtlpProcessor<ReadableSpan> implements SpanProcessor {
  /** @throws {TypeError | RangeError} when an option is invalid, naming it and its value. */
  constructor(options: OtlpSpanProcessorOptions = {}) {
    super(resolveOtlpExportConfig('traces', options), 'spans', encodeSpan, options.meterProvider);
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
    if (sampled) this.add(span);
  }
}
