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
import type { SetupOptions, SignalConfig } from './setup-options.ts';
import { toWireLogRecord, toWireSpan } from './worker-export/wire.ts';
import { WorkerExporter } from './worker-export/worker-exporter.ts';

interface OtlpConfig {
  url?: string;
  headers?: Record<string, string>;
}

/** The exporters one signal's configuration asks for; official SDK classes only. */
export function spanExporters(config: SignalConfig, options: SetupOptions): SpanExporter[] {
  return config.exporters.flatMap((kind): SpanExporter[] => {
    if (kind === 'console') return [new ConsoleSpanExporter()];
    if (kind !== 'otlp') return [];
    const otlp = otlpConfig(config, options);
    if (exportInWorker(options)) {
      const worker = { signal: 'traces' as const, protocol: config.protocol, ...otlp };
      return [new WorkerExporter<ReadableSpan>(worker, toWireSpan)];
    }
    if (config.protocol === 'http/json') return [new JsonTraceExporter(otlp)];
    if (config.protocol === 'http/protobuf') return [new ProtoTraceExporter(otlp)];
    return [
      new DeferredExporter(async () => {
        const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
        return new OTLPTraceExporter(await grpcConfig(otlp));
      }) as SpanExporter,
    ];
  });
}

export function metricExporters(config: SignalConfig, options: SetupOptions): PushMetricExporter[] {
  return config.exporters.flatMap((kind): PushMetricExporter[] => {
    if (kind === 'console') return [new ConsoleMetricExporter()];
    if (kind !== 'otlp') return [];
    const otlp = otlpConfig(config, options);
    if (config.protocol === 'http/json') return [new JsonMetricExporter(otlp)];
    if (config.protocol === 'http/protobuf') return [new ProtoMetricExporter(otlp)];
    return [
      new DeferredExporter(async () => {
        const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-grpc');
        return new OTLPMetricExporter(await grpcConfig(otlp));
      }) as PushMetricExporter,
    ];
  });
}

export function logExporters(config: SignalConfig, options: SetupOptions): LogRecordExporter[] {
  return config.exporters.flatMap((kind): LogRecordExporter[] => {
    if (kind === 'console') return [new ConsoleLogRecordExporter()];
    if (kind !== 'otlp') return [];
    const otlp = otlpConfig(config, options);
    if (exportInWorker(options)) {
      const worker = { signal: 'logs' as const, protocol: config.protocol, ...otlp };
      return [new WorkerExporter<ReadableLogRecord>(worker, toWireLogRecord)];
    }
    if (config.protocol === 'http/json') return [new JsonLogExporter(otlp)];
    if (config.protocol === 'http/protobuf') return [new ProtoLogExporter(otlp)];
    return [
      new DeferredExporter(async () => {
        const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-grpc');
        return new OTLPLogExporter(await grpcConfig(otlp));
      }) as LogRecordExporter,
    ];
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

async function grpcConfig({ url, headers }: OtlpConfig) {
  if (headers === undefined) return url === undefined ? {} : { url };
  const { Metadata } = await import('@grpc/grpc-js');
  const metadata = new Metadata();
  for (const [name, value] of Object.entries(headers)) metadata.set(name, value);
  return url === undefined ? { metadata } : { url, metadata };
}
