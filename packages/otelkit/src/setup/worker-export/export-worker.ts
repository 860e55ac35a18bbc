// The export worker: receives spans or log records in their wire form, turns
// them back into SDK shapes and hands them to the official OTLP exporter of
// the configured protocol. Encoding protobuf or JSON and the HTTP/gRPC calls
// all happen here, off the thread that serves the app.
import { parentPort, workerData } from 'node:worker_threads';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { grpcConfig } from '../otlp-config.ts';
import type { WorkerExporterConfig, WorkerReply, WorkerRequest } from './protocol.ts';
import { OriginTable, type WireLogRecord, type WireSpan } from './wire.ts';

interface AnyExporter {
  export(items: unknown[], done: (result: ExportResult) => void): void;
  forceFlush?(): Promise<void>;
  shutdown(): Promise<void>;
}

const config = workerData as WorkerExporterConfig;
const port = parentPort!;
const table = new OriginTable();
const exporter = await createExporter(config);

port.on('message', (request: WorkerRequest) => {
  const reply = (ok: boolean, error?: unknown) => {
    const message: WorkerReply = { id: request.id, ok };
    if (!ok) message.error = error instanceof Error ? error.message : String(error);
    port.postMessage(message);
  };
  try {
    if (request.type === 'export') {
      table.add(request.origins);
      const wire = typeof request.items === 'string' ? JSON.parse(request.items) : request.items;
      const items =
        config.signal === 'traces'
          ? (wire as WireSpan[]).map((wire): ReadableSpan => table.span(wire))
          : (wire as WireLogRecord[]).map((wire): ReadableLogRecord => table.logRecord(wire));
      exporter.export(items, (result) => reply(result.code === 0, result.error));
    } else if (request.type === 'flush') {
      Promise.resolve(exporter.forceFlush?.()).then(
        () => reply(true),
        (error) => reply(false, error),
      );
    } else {
      exporter.shutdown().then(
        () => reply(true),
        (error) => reply(false, error),
      );
    }
  } catch (error) {
    reply(false, error);
  }
});

async function createExporter({
  signal,
  protocol,
  url,
  headers,
}: WorkerExporterConfig): Promise<AnyExporter> {
  const http = {
    ...(url === undefined ? {} : { url }),
    ...(headers === undefined ? {} : { headers }),
  };
  if (protocol === 'grpc') {
    const grpc = await grpcConfig(http);
    if (signal === 'traces') {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
      return new OTLPTraceExporter(grpc) as AnyExporter;
    }
    const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-grpc');
    return new OTLPLogExporter(grpc) as AnyExporter;
  }
  if (signal === 'traces') {
    const { OTLPTraceExporter } =
      protocol === 'http/json'
        ? await import('@opentelemetry/exporter-trace-otlp-http')
        : await import('@opentelemetry/exporter-trace-otlp-proto');
    return new OTLPTraceExporter(http) as AnyExporter;
  }
  const { OTLPLogExporter } =
    protocol === 'http/json'
      ? await import('@opentelemetry/exporter-logs-otlp-http')
      : await import('@opentelemetry/exporter-logs-otlp-proto');
  return new OTLPLogExporter(http) as AnyExporter;
}
