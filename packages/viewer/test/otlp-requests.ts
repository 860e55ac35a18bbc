import { loadOtlpSchema } from '../src/receiver/otlp-schema.ts';

/** Builders of raw OTLP requests, for tests that need exact control over the bytes. */

export const traceIdHex = '5b8efff798038103d269b633813fc60c';
export const rootIdHex = 'eee19b7ec3c1b174';
export const childIdHex = 'eee19b7ec3c1b173';

const bytes = (hex: string) => Buffer.from(hex, 'hex');

/** A span in OTLP/JSON form (hex ids), with overrides. */
export function jsonSpan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: traceIdHex,
    spanId: rootIdHex,
    name: 'GET /users',
    kind: 2,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000250000000',
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
