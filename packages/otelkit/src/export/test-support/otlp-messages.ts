import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

// The official OTLP schema, as vendored for the viewer (one copy in the repository).
const protoDir = fileURLToPath(new URL('../../../../viewer/proto/', import.meta.url));

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => protoDir + target;
root.loadSync([
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
]);
root.resolveAll();

const types = {
  traces: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
  logs: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
  tracesResponse: root.lookupType(
    'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
  ),
  logsResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
};

type Signal = 'traces' | 'logs';
type Message = Record<string, unknown>;

/**
 * Decodes an export request with the official schema into plain objects:
 * every field present (proto3 defaults filled in), 64-bit integers as
 * strings, bytes as base64, so that two encodings of the same message
 * compare equal.
 */
export function decodeRequest(signal: Signal, bytes: Uint8Array): Message {
  const type = types[signal];
  return type.toObject(type.decode(bytes), {
    longs: String,
    bytes: String,
    enums: Number,
    defaults: true,
    arrays: true,
    objects: true,
  }) as Message;
}

/**
 * The request in a canonical order: resources, scopes and records sorted,
 * because the meaning of a request does not depend on their order.
 */
export function canonical(signal: Signal, request: Message): Message {
  const [groups, scopes, records] =
    signal === 'traces'
      ? ['resourceSpans', 'scopeSpans', 'spans']
      : ['resourceLogs', 'scopeLogs', 'logRecords'];
  const sortBy = <T>(list: T[], key: (item: T) => string) =>
    list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const text = (value: unknown) => JSON.stringify(value, (_k, v) => (Number.isNaN(v) ? 'NaN' : v));
  const resourceList = (request[groups] as Message[]).map((group) => ({
    ...group,
    [scopes]: sortBy(
      (group[scopes] as Message[]).map((scope) => ({
        ...scope,
        [records]: sortBy([...(scope[records] as Message[])], text),
      })),
      (scope) => text({ ...scope, [records]: undefined }),
    ),
  }));
  return { [groups]: sortBy(resourceList, (group) => text({ ...group, [scopes]: undefined })) };
}

/** Records in an encoded request. */
export function countRecords(signal: Signal, bytes: Uint8Array): number {
  const request = decodeRequest(signal, bytes);
  const [groups, scopes, records] =
    signal === 'traces'
      ? ['resourceSpans', 'scopeSpans', 'spans']
      : ['resourceLogs', 'scopeLogs', 'logRecords'];
  let count = 0;
  for (const group of request[groups] as Message[]) {
    for (const scope of group[scopes] as Message[]) count += (scope[records] as unknown[]).length;
  }
  return count;
}

/** An `Export*ServiceResponse` with a partial success rejecting `rejected` records. */
export function partialSuccessResponse(signal: Signal, rejected: number, message: string): Buffer {
  const type = signal === 'traces' ? types.tracesResponse : types.logsResponse;
  const field = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  return Buffer.from(
    type
      .encode(type.fromObject({ partialSuccess: { [field]: rejected, errorMessage: message } }))
      .finish(),
  );
}
