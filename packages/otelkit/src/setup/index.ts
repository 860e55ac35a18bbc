/**
 * otelkit/setup: the OpenTelemetry SDK wiring. `setup()` builds and registers
 * tracer, meter and logger providers exporting OTLP, configured by code or the
 * standard `OTEL_*` variables. The helpers in `otelkit` work with any SDK; this
 * entry is the one that brings the SDK in.
 * @module
 */

export { ContextAttributesSampler } from '../context/span-attributes.ts';
export type { DatabaseOptions } from '../db/database-options.ts';
export type {
  OtlpExportOptions,
  OtlpLogRecordProcessorOptions,
  OtlpMetricExporterOptions,
  OtlpSpanProcessorOptions,
  ResolvedOtlpExportConfig,
  TemporalityPreference,
} from '../export/index.ts';
export {
  isOtlpExportError,
  OtlpExportError,
  OtlpLogRecordProcessor,
  OtlpMetricExporter,
  OtlpSpanProcessor,
  resolveOtlpExportConfig,
} from '../export/index.ts';
export type { HttpClientOptions } from '../http/client/index.ts';
export type {
  ResolvedSamplingOptions,
  SamplingOptions,
} from '../sampling/sampling-options.ts';
export { setup } from './setup.ts';
export { isSetupError, SetupError } from './setup-error.ts';
export type {
  ExporterKind,
  OtlpProtocol,
  ResolvedConfig,
  ServiceOptions,
  SetupOptions,
  Signal,
  SignalConfig,
  Telemetry,
} from './setup-options.ts';
