import type { MeterProvider } from '@opentelemetry/api';
import {
  BatchLogRecordProcessor,
  ConsoleLogRecordExporter,
  type LogRecordExporter,
  type LogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { ConsoleMetricExporter, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { OtlpExportOptions } from '../export/otlp-export-options.ts';
import { OtlpLogRecordProcessor } from '../export/otlp-log-record-processor.ts';
import { OtlpSpanProcessor } from '../export/otlp-span-processor.ts';
import type { ExportFailures } from './export-failures.ts';
import { loadPackage } from './load-package.ts';
import { grpcConfig, type OtlpConfig } from './otlp-config.ts';
import { OTLP_EXPORTER_PACKAGES } from './otlp-exporter-packages.ts';
import type { ResolvedConfig, SetupOptions, Signal, SignalConfig } from './setup-options.ts';

/** The class each official OTLP exporter package exports, per signal. */
const EXPORTER_CLASS: Record<Signal, string> = {
  traces: 'OTLPTraceExporter',
  metrics: 'OTLPMetricExporter',
  logs: 'OTLPLogExporter',
};

/**
 * The official exporters of one signal's configuration: console, or OTLP
 * over `http/json`, `grpc` (and `http/protobuf` for metrics), each OTLP
 * package loaded only when chosen. OTLP over HTTP/protobuf of spans and log
 * records is not among them: otelkit's own processors carry it (see
 * `spanProcessors`).
 */
function exportersOf<E>(
  signal: Signal,
  config: SignalConfig,
  options: SetupOptions,
  console: () => E,
): E[] {
  return config.exporters.flatMap((kind): E[] => {
    if (kind === 'console') return [console()];
    if (kind !== 'otlp') return [];
    const specifier = OTLP_EXPORTER_PACKAGES[signal][config.protocol];
    if (specifier === undefined) return [];
    const otlp = otlpConfig(config, options);
    const Exporter =
      loadPackage<Record<string, new (config: object) => E>>(specifier)[EXPORTER_CLASS[signal]]!;
    return [new Exporter(config.protocol === 'grpc' ? grpcConfig(otlp) : otlp)];
  });
}

/** Whether a signal exports OTLP over HTTP/protobuf: the path of otelkit's own processors. */
export function exportsOtlpProtobuf(config: SignalConfig): boolean {
  return config.exporters.includes('otlp') && config.protocol === 'http/protobuf';
}

/** What `setup()` gives otelkit's processors: code options; the environment does the rest. */
function otlpExportOptions(
  config: SignalConfig,
  options: SetupOptions,
  meterProvider: MeterProvider,
): OtlpExportOptions {
  const exportOptions: OtlpExportOptions = { meterProvider };
  if (config.endpoint !== undefined) exportOptions.url = config.endpoint;
  if (options.headers !== undefined) exportOptions.headers = options.headers;
  if (options.selfMetrics !== undefined) exportOptions.selfMetrics = options.selfMetrics;
  return exportOptions;
}

/**
 * The span processors of the configuration: otelkit's `OtlpSpanProcessor`
 * for OTLP over HTTP/protobuf (the default), the official batch processor
 * around every other exporter (a code exporter, console, http/json, gRPC).
 */
export function spanProcessors(
  config: ResolvedConfig,
  options: SetupOptions,
  meterProvider: MeterProvider,
  failures: ExportFailures,
): SpanProcessor[] {
  const batch = (exporter: SpanExporter) =>
    new BatchSpanProcessor({ exporter: failures.track(exporter), ...config.traces.batch });
  if (options.traces?.exporter) return [batch(options.traces.exporter)];
  const own = exportsOtlpProtobuf(config.traces)
    ? [
        failures.trackProcessor(
          new OtlpSpanProcessor(otlpExportOptions(config.traces, options, meterProvider)),
        ),
      ]
    : [];
  return [...own, ...spanExporters(config.traces, options).map(batch)];
}

/** The log record processors of the configuration, as `spanProcessors` for spans. */
export function logRecordProcessors(
  config: ResolvedConfig,
  options: SetupOptions,
  meterProvider: MeterProvider,
  failures: ExportFailures,
): LogRecordProcessor[] {
  const batch = (exporter: LogRecordExporter) =>
    new BatchLogRecordProcessor({ exporter: failures.track(exporter) });
  if (options.logs?.exporter) return [batch(options.logs.exporter)];
  const own = exportsOtlpProtobuf(config.logs)
    ? [
        failures.trackProcessor(
          new OtlpLogRecordProcessor(otlpExportOptions(config.logs, options, meterProvider)),
        ),
      ]
    : [];
  return [...own, ...logExporters(config.logs, options).map(batch)];
}

/** The span exporters of the official SDK one signal's configuration asks for. */
function spanExporters(config: SignalConfig, options: SetupOptions): SpanExporter[] {
  return exportersOf<SpanExporter>('traces', config, options, () => new ConsoleSpanExporter());
}

/** The metric exporters one signal's configuration asks for. */
export function metricExporters(config: SignalConfig, options: SetupOptions): PushMetricExporter[] {
  return exportersOf<PushMetricExporter>(
    'metrics',
    config,
    options,
    () => new ConsoleMetricExporter(),
  );
}

/** The log record exporters of the official SDK one signal's configuration asks for. */
function logExporters(config: SignalConfig, options: SetupOptions): LogRecordExporter[] {
  return exportersOf<LogRecordExporter>(
    'logs',
    config,
    options,
    () => new ConsoleLogRecordExporter(),
  );
}

/** Only what code set: the exporters read the OTLP environment variables for the rest. */
function otlpConfig(config: SignalConfig, options: SetupOptions): OtlpConfig {
  const otlp: OtlpConfig = {};
  if (config.endpoint !== undefined) otlp.url = config.endpoint;
  if (options.headers !== undefined) otlp.headers = options.headers;
  return otlp;
}
