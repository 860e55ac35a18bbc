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
import { OtlpMetricExporter } from '../export/otlp-metric-exporter.ts';
import { OtlpSpanProcessor } from '../export/otlp-span-processor.ts';
import { loadPackage } from '../internal/load-package.ts';
import { TailSamplingSpanProcessor } from '../sampling/tail-sampling-span-processor.ts';
import type { ExportFailures } from './export-failures.ts';
import { grpcConfig, type OtlpConfig } from './otlp-config.ts';
import { OTLP_EXPORTER_PACKAGES } from './otlp-exporter-packages.ts';
import type { ResolvedConfig, SetupOptions, Signal, SignalConfig } from './setup-options.ts';

/** The class each official OTLP exporter package exports, per signal. */
const EXPORTER_CLASS: Record<Signal, string> = {
  traces: 'OTLPTraceExporter',
  metrics: 'OTLPMetricExporter',
  logs: 'OTLPLogExporter',
};

/** How one signal's exporters are made, besides the official OTLP ones. */
interface ExporterKinds<E> {
  console: () => E;
  /** otelkit's own exporter of OTLP over HTTP/protobuf, for a signal that has one. */
  proto?: (otlp: OtlpConfig) => E;
}

/**
 * The exporters of one signal's configuration: console, otelkit's own, or
 * the official OTLP exporter of the protocol (`http/json`, `grpc`), whose
 * package is loaded only when chosen. OTLP over HTTP/protobuf of spans and log
 * records is not among them: otelkit's own processors carry it (see
 * `spanProcessors`).
 */
function exportersOf<E>(
  signal: Signal,
  config: SignalConfig,
  options: SetupOptions,
  kinds: ExporterKinds<E>,
): E[] {
  return config.exporters.flatMap((kind): E[] => {
    if (kind === 'console') return [kinds.console()];
    if (kind !== 'otlp') return [];
    const otlp = otlpConfig(config, options);
    if (config.protocol === 'http/protobuf') return kinds.proto ? [kinds.proto(otlp)] : [];
    const specifier = OTLP_EXPORTER_PACKAGES[signal][config.protocol]!;
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
    new BatchSpanProcessor({ exporter: failures.exporter(exporter), ...config.traces.batch });
  if (options.traces?.exporter) return [batch(options.traces.exporter)];
  const own = exportsOtlpProtobuf(config.traces)
    ? [
        failures.spanProcessor(
          config.sampling === undefined
            ? new OtlpSpanProcessor(otlpExportOptions(config.traces, options, meterProvider))
            : new TailSamplingSpanProcessor({
                ...otlpExportOptions(config.traces, options, meterProvider),
                sampling: config.sampling,
              }),
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
    new BatchLogRecordProcessor({ exporter: failures.exporter(exporter) });
  if (options.logs?.exporter) return [batch(options.logs.exporter)];
  const own = exportsOtlpProtobuf(config.logs)
    ? [
        failures.logRecordProcessor(
          new OtlpLogRecordProcessor(otlpExportOptions(config.logs, options, meterProvider)),
        ),
      ]
    : [];
  return [...own, ...logExporters(config.logs, options).map(batch)];
}

/** The span exporters of the official SDK one signal's configuration asks for. */
function spanExporters(config: SignalConfig, options: SetupOptions): SpanExporter[] {
  return exportersOf<SpanExporter>('traces', config, options, {
    console: () => new ConsoleSpanExporter(),
  });
}

/**
 * The metric exporters one signal's configuration asks for, each reporting
 * its failures to `failures`: otelkit's own for OTLP over HTTP/protobuf.
 */
export function metricExporters(
  config: SignalConfig,
  options: SetupOptions,
  failures: ExportFailures,
): PushMetricExporter[] {
  const custom = options.metrics?.exporter;
  if (typeof custom === 'object') return [failures.exporter(custom)];
  const exporters = exportersOf<PushMetricExporter>('metrics', config, options, {
    console: () => new ConsoleMetricExporter(),
    proto: (otlp) => failures.own(new OtlpMetricExporter(otlp)),
  });
  return exporters.map((exporter) => failures.exporter(exporter));
}

/** The log record exporters of the official SDK one signal's configuration asks for. */
function logExporters(config: SignalConfig, options: SetupOptions): LogRecordExporter[] {
  return exportersOf<LogRecordExporter>('logs', config, options, {
    console: () => new ConsoleLogRecordExporter(),
  });
}

/** Only what code set: the exporters read the OTLP environment variables for the rest. */
function otlpConfig(config: SignalConfig, options: SetupOptions): OtlpConfig {
  const otlp: OtlpConfig = {};
  if (config.endpoint !== undefined) otlp.url = config.endpoint;
  if (options.headers !== undefined) otlp.headers = options.headers;
  return otlp;
}
