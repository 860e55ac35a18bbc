import type { MeterProvider } from '@opentelemetry/api';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
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
import { TailSamplingSpanProcessor } from '../sampling/tail-sampling-span-processor.ts';
import { DeferredExporter } from './deferred-exporter.ts';
import type { ExportFailures } from './export-failures.ts';
import { grpcConfig, type OtlpConfig } from './otlp-config.ts';
import type { ResolvedConfig, SetupOptions, SignalConfig } from './setup-options.ts';

/**
 * How one signal's exporters are made: the official classes, gRPC loaded
 * only when chosen. OTLP over HTTP/protobuf of spans and log records is not
 * among them: otelkit's own processors carry it (see `spanProcessors`).
 */
interface ExporterKinds<E> {
  console: () => E;
  json: (otlp: OtlpConfig) => E;
  proto?: (otlp: OtlpConfig) => E;
  grpc: (otlp: OtlpConfig) => Promise<E>;
}

function exportersOf<E>(config: SignalConfig, options: SetupOptions, kinds: ExporterKinds<E>): E[] {
  return config.exporters.flatMap((kind): E[] => {
    if (kind === 'console') return [kinds.console()];
    if (kind !== 'otlp') return [];
    const otlp = otlpConfig(config, options);
    if (config.protocol === 'http/json') return [kinds.json(otlp)];
    if (config.protocol === 'http/protobuf') return kinds.proto ? [kinds.proto(otlp)] : [];
    return [new DeferredExporter(() => kinds.grpc(otlp) as never) as E];
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
  return exportersOf<SpanExporter>(config, options, {
    console: () => new ConsoleSpanExporter(),
    json: (otlp) => new JsonTraceExporter(otlp),
    grpc: async (otlp) => {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
      return new OTLPTraceExporter(await grpcConfig(otlp));
    },
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
  const exporters = exportersOf<PushMetricExporter>(config, options, {
    console: () => new ConsoleMetricExporter(),
    json: (otlp) => new JsonMetricExporter(otlp),
    proto: (otlp) => failures.own(new OtlpMetricExporter(otlp)),
    grpc: async (otlp) => {
      const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-grpc');
      return new OTLPMetricExporter(await grpcConfig(otlp));
    },
  });
  return exporters.map((exporter) => failures.exporter(exporter));
}

/** The log record exporters of the official SDK one signal's configuration asks for. */
function logExporters(config: SignalConfig, options: SetupOptions): LogRecordExporter[] {
  return exportersOf<LogRecordExporter>(config, options, {
    console: () => new ConsoleLogRecordExporter(),
    json: (otlp) => new JsonLogExporter(otlp),
    grpc: async (otlp) => {
      const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-grpc');
      return new OTLPLogExporter(await grpcConfig(otlp));
    },
  });
}

/** Only what code set: the exporters read the OTLP environment variables for the rest. */
function otlpConfig(config: SignalConfig, options: SetupOptions): OtlpConfig {
  const otlp: OtlpConfig = {};
  if (config.endpoint !== undefined) otlp.url = config.endpoint;
  if (options.headers !== undefined) otlp.headers = options.headers;
  return otlp;
}
