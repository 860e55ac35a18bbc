import { availableParallelism } from 'node:os';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  ConsoleLogRecordExporter,
  type LogRecordExporter,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { ConsoleMetricExporter, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import {
  ConsoleSpanExporter,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { DeferredExporter } from './deferred-exporter.ts';
import { grpcConfig, type OtlpConfig } from './otlp-config.ts';
import type { SetupOptions, SignalConfig } from './setup-options.ts';
import { toWireLogRecord, toWireSpan } from './worker-export/wire.ts';
import { WorkerExporter } from './worker-export/worker-exporter.ts';

/** How one signal's exporters are made: the official classes, gRPC loaded only when chosen. */
interface ExporterKinds<E> {
  console: () => E;
  json: (otlp: OtlpConfig) => E;
  proto: (otlp: OtlpConfig) => E;
  grpc: (otlp: OtlpConfig) => Promise<E>;
  /** Traces and logs can be encoded and sent on a worker thread. */
  worker?: (otlp: OtlpConfig) => E;
}

function exportersOf<E>(config: SignalConfig, options: SetupOptions, kinds: ExporterKinds<E>): E[] {
  return config.exporters.flatMap((kind): E[] => {
    if (kind === 'console') return [kinds.console()];
    if (kind !== 'otlp') return [];
    const otlp = otlpConfig(config, options);
    if (kinds.worker && exportInWorker(options)) return [kinds.worker(otlp)];
    if (config.protocol === 'http/json') return [kinds.json(otlp)];
    if (config.protocol === 'http/protobuf') return [kinds.proto(otlp)];
    return [new DeferredExporter(() => kinds.grpc(otlp) as never) as E];
  });
}

/** The span exporters one signal's configuration asks for; official SDK classes only. */
export function spanExporters(config: SignalConfig, options: SetupOptions): SpanExporter[] {
  return exportersOf<SpanExporter>(config, options, {
    console: () => new ConsoleSpanExporter(),
    json: (otlp) => new JsonTraceExporter(otlp),
    proto: (otlp) => new ProtoTraceExporter(otlp),
    grpc: async (otlp) => {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
      return new OTLPTraceExporter(await grpcConfig(otlp));
    },
    worker: (otlp) =>
      new WorkerExporter<ReadableSpan>(
        { signal: 'traces', protocol: config.protocol, ...otlp },
        toWireSpan,
      ),
  });
}

/** The metric exporters one signal's configuration asks for. */
export function metricExporters(config: SignalConfig, options: SetupOptions): PushMetricExporter[] {
  return exportersOf<PushMetricExporter>(config, options, {
    console: () => new ConsoleMetricExporter(),
    json: (otlp) => new JsonMetricExporter(otlp),
    proto: (otlp) => new ProtoMetricExporter(otlp),
    grpc: async (otlp) => {
      const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-grpc');
      return new OTLPMetricExporter(await grpcConfig(otlp));
    },
  });
}

/** The log record exporters one signal's configuration asks for. */
export function logExporters(config: SignalConfig, options: SetupOptions): LogRecordExporter[] {
  return exportersOf<LogRecordExporter>(config, options, {
    console: () => new ConsoleLogRecordExporter(),
    json: (otlp) => new JsonLogExporter(otlp),
    proto: (otlp) => new ProtoLogExporter(otlp),
    grpc: async (otlp) => {
      const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-grpc');
      return new OTLPLogExporter(await grpcConfig(otlp));
    },
    worker: (otlp) =>
      new WorkerExporter<ReadableLogRecord>(
        { signal: 'logs', protocol: config.protocol, ...otlp },
        toWireLogRecord,
      ),
  });
}

/**
 * The worker pays off when a core is free for it: on two cores or fewer it
 * competes with the app for CPU, and exporting inline measured faster.
 */
function exportInWorker(options: SetupOptions): boolean {
  return options.exportInWorker ?? availableParallelism() >= 4;
}

/** Only what code set: the exporters read the OTLP environment variables for the rest. */
function otlpConfig(config: SignalConfig, options: SetupOptions): OtlpConfig {
  const otlp: OtlpConfig = {};
  if (config.endpoint !== undefined) otlp.url = config.endpoint;
  if (options.headers !== undefined) otlp.headers = options.headers;
  return otlp;
}
