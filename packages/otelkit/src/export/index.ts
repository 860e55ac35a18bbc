/**
 * otelkit's OTLP/HTTP protobuf export: span and log record processors that
 * encode each record as it ends into a byte-bounded buffer, send with the
 * OTLP retry rules and count every record in the `otel.sdk.*` self-metrics;
 * a metric exporter sending the official serializer's bytes the same way.
 * @module
 */

export type {
  ExportEnv,
  ExportSignal,
  ResolvedOtlpExportConfig,
} from './export-config.ts';
export { resolveOtlpExportConfig } from './export-config.ts';
export type { TemporalityPreference } from './metric-temporality.ts';
export { isOtlpExportError, OtlpExportError } from './otlp-export-error.ts';
export type {
  OtlpExportOptions,
  OtlpLogRecordProcessorOptions,
  OtlpSpanProcessorOptions,
} from './otlp-export-options.ts';
export { OtlpLogRecordProcessor } from './otlp-log-record-processor.ts';
export type { OtlpMetricExporterOptions } from './otlp-metric-exporter.ts';
export { OtlpMetricExporter } from './otlp-metric-exporter.ts';
export { OtlpSpanProcessor } from './otlp-span-processor.ts';
