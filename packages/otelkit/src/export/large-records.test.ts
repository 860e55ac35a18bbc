import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { encodeLogRecord } from './log-record-encoder.ts';
import { ProtoWriter } from './proto-writer.ts';
import { type Encoder, writeRecord } from './record-buffer.ts';
import { encodeRequest } from './request-body.ts';
import { encodeSpan } from './span-encoder.ts';
import { StringCache } from './string-cache.ts';
import { canonical, decodeRequest } from './test-support/otlp-messages.ts';

const resource = resourceFromAttributes({ 'service.name': 'large-records' });
const scope = { name: 'large', version: '1.0.0' };

/** A writer that notes when a record's body ends exactly where its buffer ends. */
class WatchedWriter extends ProtoWriter {
  endedAtCapacity = 0;
  override endWide(mark: number): void {
    if (this.pos === this.buf.length) this.endedAtCapacity++;
    super.endWide(mark);
  }
}

function span(attribute: string | Uint8Array, name = 'large'): ReadableSpan {
  return {
    name,
    kind: 1,
    spanContext: () => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    }),
    parentSpanContext: undefined,
    startTime: [1_700_000_000, 1],
    endTime: [1_700_000_001, 2],
    status: { code: 0 },
    attributes: { payload: attribute as never, 'http.route': '/upload' },
    links: [],
    events: [{ name: 'log', time: [1_700_000_000, 5], attributes: { size: attribute.length } }],
    duration: [1, 1],
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

function logRecord(body: string | Uint8Array): ReadableLogRecord {
  return {
    hrTime: [1_700_000_000, 7],
    hrTimeObserved: [1_700_000_000, 8],
    severityNumber: 9,
    severityText: 'INFO',
    body: body as never,
    attributes: { 'user.id': '42' },
    droppedAttributesCount: 0,
    resource,
    instrumentationScope: scope,
  } as ReadableLogRecord;
}

/**
 * Encodes `items` through a writer of `capacity` bytes, preceded by `offset`
 * bytes of records already in the batch, decodes the request with the
 * official schema and compares it with the official serializer's.
 */
function roundTrip<T>(
  signal: 'traces' | 'logs',
  items: T[],
  encode: Encoder<T>,
  writer: ProtoWriter,
): void {
  const strings = new StringCache();
  for (const item of items) writeRecord(writer, item, encode, strings);
  const ours = encodeRequest([{ resource, scope, bytes: writer.buf.subarray(0, writer.pos) }]);
  const official =
    signal === 'traces'
      ? ProtobufTraceSerializer.serializeRequest(items as never)!
      : ProtobufLogsSerializer.serializeRequest(items as never)!;
  expect(canonical(signal, decodeRequest(signal, ours))).toEqual(
    canonical(signal, decodeRequest(signal, official)),
  );
}

/** Strings of `length` ASCII characters, and one with multi-byte characters of the same byte length. */
function text(length: number, seed: number): string {
  let s = '';
  for (let i = 0; s.length < length; i++) s += String.fromCharCode(97 + ((i * 7 + seed) % 26));
  return s;
}

const KIB = 1024;
const MIB = 1024 * KIB;
/** Lengths on both sides of each varint length step (2^7, 2^14, 2^21 bytes). */
const VARINT_EDGES = [128, 16_384, 2_097_152].flatMap((n) => [n - 2, n - 1, n, n + 1]);

describe('records across every size boundary', () => {
  it.each(VARINT_EDGES)(
    'a string attribute and a log body of %i bytes decode as the official serializer encodes them',
    (length) => {
      roundTrip('traces', [span(text(length, 1))], encodeSpan, new ProtoWriter(64));
      roundTrip('logs', [logRecord(text(length, 2))], encodeLogRecord, new ProtoWriter(64));
    },
  );

  it.each(VARINT_EDGES)('byte arrays of %i bytes decode intact', (length) => {
    const bytes = new Uint8Array(length).map((_, i) => (i * 31) & 255);
    roundTrip('logs', [logRecord(bytes)], encodeLogRecord, new ProtoWriter(64));
  });

  it('multi-byte text across the length steps keeps every character', () => {
    for (const bytes of [128, 16_384, 2_097_152]) {
      // Each '€' is three bytes in UTF-8: the byte length crosses the step, the string length does not.
      const value = '€'.repeat(Math.ceil(bytes / 3)) + text(bytes % 3, 3);
      roundTrip('traces', [span(value)], encodeSpan, new ProtoWriter(4096));
    }
  });

  it('records whose whole length crosses each varint step, one byte at a time', () => {
    // The record's own length prefix is two bytes reserved; 2^14 and 2^21 need three and four.
    for (const edge of [128, 16_384, 2_097_152]) {
      const base = new ProtoWriter(64);
      writeRecord(base, span(''), encodeSpan, new StringCache());
      const overhead = base.pos;
      for (let length = edge - overhead - 4; length <= edge - overhead + 4; length++) {
        roundTrip('traces', [span(text(Math.max(0, length), 4))], encodeSpan, new ProtoWriter(64));
      }
    }
  });

  it('a record that ends exactly at the writer capacity, at every growth step up to 4 MiB', () => {
    let met = 0;
    for (let capacity = 32 * KIB; capacity <= 4 * MIB; capacity *= 2) {
      // A batch already holding a small record, then one large enough to grow the writer to
      // `capacity`: one of these lengths ends its body exactly at the end of the buffer.
      const payload = text(capacity, 5);
      for (let length = capacity - 400; length <= capacity - 100; length++) {
        const items = [span('small'), span(payload.slice(0, length))];
        const probe = new WatchedWriter(64);
        const strings = new StringCache();
        for (const item of items) writeRecord(probe, item, encodeSpan, strings);
        if (probe.endedAtCapacity === 0) continue;
        met++;
        roundTrip('traces', items, encodeSpan, new ProtoWriter(64));
        break;
      }
    }
    // The sweep is only a proof if it met the case at every step.
    expect(met).toBe(8);
  }, 60_000);

  it('many records in one buffer, through every growth step, decode in order', () => {
    const items = [1, 130, 5_000, 16_400, 70_000, 300_000, 2_100_000].map((n) => span(text(n, n)));
    roundTrip('traces', items, encodeSpan, new ProtoWriter(16));
  });
});
