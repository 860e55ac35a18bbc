import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

// The part of the official OTLP trace schema the tests read (same field numbers).
const SCHEMA = `
syntax = "proto3";
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
message KeyValue { string key = 1; AnyValue value = 2; }
message Resource { repeated KeyValue attributes = 1; }
message Status { string message = 2; int32 code = 3; }
message Event { string name = 2; repeated KeyValue attributes = 3; }
message Link { bytes trace_id = 1; bytes span_id = 2; }
message Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; int32 kind = 6; repeated KeyValue attributes = 9; repeated Event events = 11; repeated Link links = 13; Status status = 15; }
message ScopeSpans { repeated Span spans = 2; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
`;
const Request = protobuf
  .parse(SCHEMA, { keepCase: true })
  .root.lookupType('ExportTraceServiceRequest');

export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  /** `''` for a root. */
  parentSpanId: string;
  /** The status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  attributes: Record<string, unknown>;
  /** The names of its events (`exception`, …). */
  events: string[];
  /** The span ids (hex) it links to. */
  links: string[];
  resource: Record<string, unknown>;
}

export interface OtlpTraceSink {
  readonly url: string;
  readonly spans: ReceivedSpan[];
  readonly requests: { path: string; contentType: string; headers: Record<string, unknown> }[];
  close(): Promise<void>;
}

interface KeyValue {
  key: string;
  value?: Record<string, unknown>;
}

/** A tiny OTLP/HTTP server on 127.0.0.1 that decodes protobuf trace exports. */
export async function startOtlpTraceSink(): Promise<OtlpTraceSink> {
  const spans: ReceivedSpan[] = [];
  const requests: OtlpTraceSink['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const contentType = req.headers['content-type'] ?? '';
    requests.push({ path: req.url ?? '', contentType, headers: req.headers });
    if (req.url === '/v1/traces' && contentType === 'application/x-protobuf') {
      const decoded = Request.toObject(Request.decode(Buffer.concat(chunks)), {
        longs: Number,
        bytes: String,
      }) as {
        resource_spans?: {
          resource?: { attributes?: KeyValue[] };
          scope_spans?: { spans?: Record<string, unknown>[] }[];
        }[];
      };
      for (const rs of decoded.resource_spans ?? []) {
        const resource = toRecord(rs.resource?.attributes);
        for (const ss of rs.scope_spans ?? []) {
          for (const span of ss.spans ?? []) {
            spans.push({
              name: span.name as string,
              traceId: hex(span.trace_id),
              spanId: hex(span.span_id),
              parentSpanId: hex(span.parent_span_id),
              statusCode: Number((span.status as { code?: number } | undefined)?.code ?? 0),
              attributes: toRecord(span.attributes as KeyValue[]),
              events: ((span.events ?? []) as { name: string }[]).map((event) => event.name),
              links: ((span.links ?? []) as { span_id: string }[]).map((link) => hex(link.span_id)),
              resource,
            });
          }
        }
      }
    }
    res.writeHead(200, { 'content-type': contentType || 'application/x-protobuf' }).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function hex(bytes: unknown): string {
  return typeof bytes === 'string' ? Buffer.from(bytes, 'base64').toString('hex') : '';
}

function toRecord(list: KeyValue[] = []): Record<string, unknown> {
  return Object.fromEntries(list.map(({ key, value = {} }) => [key, Object.values(value)[0]]));
}
