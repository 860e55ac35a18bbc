import protobuf from 'protobufjs';
import { loadOtlpSchema } from '../src/receiver/otlp-schema.ts';

const attr = (key: string, value: Record<string, unknown>) => ({ key, value });

// Recognizable bytes to find in an encoded template.
const traceMark = Buffer.alloc(16, 0xa1);
const spanMark = Buffer.alloc(8, 0xb2);
const parentMark = Buffer.alloc(8, 0xc3);
const startMark = 0x0d0d0d0d0d0d0d0dn;
const endMark = 0x0e0e0e0e0e0e0e0en;

interface Template {
  bytes: Buffer;
  trace: number;
  span: number;
  parent: number;
  start: number;
  end: number;
}

function template(root: boolean): Template {
  const schema = loadOtlpSchema();
  const span = schema.span.fromObject({
    traceId: traceMark,
    spanId: spanMark,
    parentSpanId: root ? undefined : parentMark,
    name: root ? 'GET /users/:id' : 'SELECT users',
    kind: root ? 2 : 3,
    startTimeUnixNano: startMark.toString(),
    endTimeUnixNano: endMark.toString(),
    attributes: [
      attr('http.request.method', { stringValue: 'GET' }),
      attr('http.route', { stringValue: '/users/:id' }),
      attr('http.response.status_code', { intValue: 200 }),
      attr('user.id', { stringValue: 'u0042' }),
    ],
  });
  const bytes = Buffer.from(schema.span.encode(span).finish());
  const time = (ns: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(ns);
    return bytes.indexOf(b);
  };
  return {
    bytes,
    trace: bytes.indexOf(traceMark),
    span: bytes.indexOf(spanMark),
    parent: root ? -1 : bytes.indexOf(parentMark),
    start: time(startMark),
    end: time(endMark),
  };
}

// A length-delimited protobuf field: its tag and length, then `bytes`.
function field(number: number, bytes: Buffer): Buffer {
  const head = protobuf.Writer.create()
    .uint32((number << 3) | 2)
    .uint32(bytes.length)
    .finish();
  return Buffer.concat([head, bytes]);
}

/**
 * A protobuf export of `spans` spans from one service, `spansPerTrace` to a trace (a server span
 * and its client children), each with the attributes of an HTTP server's spans; deterministic.
 * Built from two encoded templates whose ids and times are rewritten, so that a request of
 * 100,000 spans takes moments to build. Trace ids count from `firstTraceId`.
 */
export function largeTraceRequest(
  spans: number,
  spansPerTrace: number,
  startMs: number,
  firstTraceId = 1,
): Uint8Array {
  const schema = loadOtlpSchema();
  const root = template(true);
  const child = template(false);
  // Every span of a template has its length: one tag and length for all of them.
  const heads = new Map(
    [root, child].map((t) => [
      t,
      field(2, Buffer.alloc(t.bytes.length)).subarray(0, -t.bytes.length),
    ]),
  );
  const parts: Buffer[] = [];
  for (let i = 0; i < spans; i++) {
    const trace = Math.floor(i / spansPerTrace);
    const index = i % spansPerTrace;
    const t = index === 0 ? root : child;
    const bytes = Buffer.from(t.bytes);
    bytes.writeBigUInt64BE(0n, t.trace);
    bytes.writeBigUInt64BE(BigInt(firstTraceId + trace), t.trace + 8);
    bytes.writeBigUInt64BE(BigInt(i + 1), t.span);
    if (t.parent >= 0) bytes.writeBigUInt64BE(BigInt(i - index + 1), t.parent);
    const startNs = BigInt(startMs + trace) * 1_000_000n + BigInt(index) * 1000n;
    bytes.writeBigUInt64LE(startNs, t.start);
    bytes.writeBigUInt64LE(startNs + 900_000n, t.end);
    parts.push(heads.get(t)!, bytes);
  }
  const resource = Buffer.from(
    schema.resource
      .encode(
        schema.resource.fromObject({
          attributes: [attr('service.name', { stringValue: 'users-api' })],
        }),
      )
      .finish(),
  );
  const scope = Buffer.from(schema.scope.encode({ name: 'load' }).finish());
  const scopeSpans = Buffer.concat([field(1, scope), ...parts]);
  return field(1, Buffer.concat([field(1, resource), field(2, scopeSpans)]));
}
