import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

// The official OTLP schema, as vendored for the viewer.
const protoDir = fileURLToPath(new URL('../../../viewer/proto/', import.meta.url));
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => protoDir + target;
root.loadSync([
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
]);
const Requests = {
  traces: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
  logs: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
  metrics: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
};

/** How a collector answers a signal's requests. */
export type Behaviour = 'ok' | 'hang' | '429' | 'slow';
type Signal = keyof typeof Requests;

/** One sum data point as a metrics backend sees it. */
export interface SumPoint {
  readonly name: string;
  readonly attributes: Record<string, string | number>;
  readonly value: number;
}

/**
 * An OTLP/HTTP collector on 127.0.0.1 that misbehaves on purpose, per
 * signal: answers 200 (`ok`), accepts and never answers (`hang`), answers
 * 429 for ever (`429`), or answers after `slowMs` (`slow`). It decodes what
 * it acknowledges with the official schema: spans and log records counted,
 * the sum points of the last metrics export kept.
 */
export class MisbehavingCollector {
  readonly behaviour: Record<Signal, Behaviour>;
  slowMs = 10_000;
  readonly delivered = { traces: 0, logs: 0 };
  readonly requests = { traces: 0, logs: 0, metrics: 0 };
  /** The sum points of the latest metrics request, by metric name and attributes. */
  lastSums: SumPoint[] = [];
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;

  constructor(behaviour: Partial<Record<Signal, Behaviour>> = {}) {
    this.behaviour = { traces: 'ok', logs: 'ok', metrics: 'ok', ...behaviour };
  }

  /** The base endpoint (`/v1/{signal}` is appended by the exporters). */
  get endpoint(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const signal = (request.url ?? '').slice('/v1/'.length) as Signal;
        if (!(signal in Requests)) {
          response.writeHead(404).end();
          return;
        }
        this.requests[signal]++;
        const behaviour = this.behaviour[signal];
        if (behaviour === 'hang') return;
        if (behaviour === '429') {
          response.writeHead(429).end();
          return;
        }
        const answer = () => {
          this.#record(signal, Buffer.concat(chunks));
          response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        };
        if (behaviour === 'slow') setTimeout(answer, this.slowMs).unref();
        else answer();
      });
    });
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.listen(this.#port, '127.0.0.1');
    await once(server, 'listening');
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this;
  }

  /** Stops listening and drops every connection: the port then refuses. */
  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  /** The sum of the last export's points of metric `name` whose attributes include `match`. */
  sum(name: string, match: (attributes: SumPoint['attributes']) => boolean = () => true): number {
    return this.lastSums
      .filter((point) => point.name === name && match(point.attributes))
      .reduce((total, point) => total + point.value, 0);
  }

  #record(signal: Signal, body: Buffer): void {
    const request = Requests[signal].toObject(Requests[signal].decode(body), {
      longs: Number,
      arrays: true,
    }) as Record<string, Record<string, unknown>[]>;
    if (signal === 'metrics') {
      this.lastSums = sumPoints(request);
      return;
    }
    const [resources, scopes, records] =
      signal === 'traces'
        ? ['resourceSpans', 'scopeSpans', 'spans']
        : ['resourceLogs', 'scopeLogs', 'logRecords'];
    for (const resource of request[resources!] ?? []) {
      for (const scope of (resource[scopes!] as Record<string, unknown[]>[]) ?? []) {
        this.delivered[signal] += scope[records!]?.length ?? 0;
      }
    }
  }
}

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

function sumPoints(request: Record<string, Record<string, unknown>[]>): SumPoint[] {
  const points: SumPoint[] = [];
  for (const resource of request.resourceMetrics ?? []) {
    for (const scope of (resource.scopeMetrics as Record<string, unknown[]>[]) ?? []) {
      for (const metric of (scope.metrics as Record<string, unknown>[]) ?? []) {
        const sum = metric.sum as { dataPoints?: Record<string, unknown>[] } | undefined;
        for (const point of sum?.dataPoints ?? []) {
          const attributes: SumPoint['attributes'] = {};
          for (const { key, value } of (point.attributes as KeyValue[]) ?? []) {
            attributes[key] = Object.values(value)[0] as string | number;
          }
          const value = Number(point.asInt ?? point.asDouble ?? 0);
          points.push({ name: metric.name as string, attributes, value });
        }
      }
    }
  }
  return points;
}
