import protobuf from 'protobufjs';
import { loadOtlpSchema } from '../src/receiver/otlp-schema.ts';

/** Builders of raw OTLP requests, for tests that need exact control over the bytes. */

export const traceIdHex = '5b8efff798038103d269b633813fc60c';
export const rootIdHex = 'eee19b7ec3c1b174';
export const childIdHex = 'eee19b7ec3c1b173';

const bytes = (hex: string) => Buffer.from(hex, 'hex');

/** A minute ago, in nanoseconds since the epoch: well within the viewer's retention. */
export const recentNs = BigInt(Date.now() - 60_000) * 1_000_000n;

/** A span in OTLP/JSON form (hex ids), with overrides. */
export function jsonSpan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: traceIdHex,
    spanId: rootIdHex,
    name: 'GET /users',
    kind: 2,
    startTimeUnixNano: String(recentNs),
    endTimeUnixNano: String(recentNs + 250_000_000n),
    attributes: [{ key: 'http.route', value: { stringValue: '/users' } }],
    status: {},
    ...overrides,
  };
}

/** An OTLP/JSON trace request for `spans` from service `service`. */
export function jsonTraceRequest(spans: Record<string, unknown>[], service = 'users-api') {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'test' }, spans }],
      },
    ],
  };
}

/** Encodes an OTLP/JSON-shaped trace request as protobuf (hex ids become bytes). */
export function protobufTraceRequest(request: ReturnType<typeof jsonTraceRequest>): Uint8Array {
  const type = loadOtlpSchema().traces.request;
  const withBytes = structuredClone(request);
  for (const group of withBytes.resourceSpans) {
    for (const scope of group.scopeSpans) {
      for (const span of scope.spans) {
        for (const field of ['traceId', 'spanId', 'parentSpanId']) {
          if (typeof span[field] === 'string') span[field] = bytes(span[field] as string);
        }
      }
    }
  }
  return type.encode(type.fromObject(withBytes)).finish();
}

// A length-delimited protobuf field.
function field(number: number, bytes: Uint8Array): Uint8Array {
  return protobuf.Writer.create()
    .uint32((number << 3) | 2)
    .bytes(bytes)
    .finish();
}

/**
 * A protobuf trace request whose spans each carry attribute `deep`: `arrays` arrays nested in
 * one another around the string `bottom`. Framed by hand: protobufjs refuses to encode values
 * nested deeper than its limit.
 */
export function protobufRequestWithNestedArrays(
  spans: { span: Record<string, unknown>; arrays: number }[],
): Uint8Array {
  const schema = loadOtlpSchema();
  const encodedSpans = spans.map(({ span, arrays }) => {
    // AnyValue: string_value = 1, array_value = 5; ArrayValue: values = 1.
    let value = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .string('bottom')
      .finish();
    for (let i = 0; i < arrays; i++) value = field(5, field(1, value));
    const attribute = Buffer.concat([field(1, Buffer.from('deep')), field(2, value)]);
    const plain = protobufTraceRequest(jsonTraceRequest([{ ...span, attributes: [] }]));
    const decoded = schema.traces.request.decode(plain) as unknown as {
      resourceSpans: { scopeSpans: { spans: unknown[] }[] }[];
    };
    const spanBytes = schema.span
      .encode(decoded.resourceSpans[0]!.scopeSpans[0]!.spans[0]!)
      .finish();
    // Span: attributes = 9, appended after the other fields.
    return Buffer.concat([spanBytes, field(9, attribute)]);
  });
  const resource = schema.resource
    .encode({ attributes: [{ key: 'service.name', value: { stringValue: 'users-api' } }] })
    .finish();
  const scopeSpans = Buffer.concat(encodedSpans.map((bytes) => field(2, bytes)));
  return field(1, Buffer.concat([field(1, resource), field(2, scopeSpans)]));
}

/** Decodes a protobuf `ExportTraceServiceResponse`. */
export function decodeTraceResponse(body: Uint8Array): Record<string, unknown> {
  const type = loadOtlpSchema().traces.response;
  return type.toObject(type.decode(body), { longs: Number, defaults: false });
}

/** Decodes a protobuf `google.rpc.Status`. */
export function decodeStatus(body: Uint8Array): { code?: number; message?: string } {
  const type = loadOtlpSchema().status;
  return type.toObject(type.decode(body)) as { code?: number; message?: string };
}
