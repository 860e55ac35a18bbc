import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ProtoWriter } from './proto-writer.ts';
import { propertyParameters } from './test-support/arbitraries.ts';

/** Reads back a length-delimited field: its length and where its body starts. */
function readLength(bytes: Uint8Array): { length: number; body: number } {
  const reader = protobuf.Reader.create(bytes);
  const length = reader.uint32();
  return { length, body: reader.pos };
}

describe('ProtoWriter', () => {
  it.each([0, 1, 127, 128, 300, 16_383, 16_384, 100_000])(
    'writes a nested message of %i bytes with a canonical length, its body intact',
    (size) => {
      for (const [begin, end] of [
        ['begin', 'end'],
        ['beginWide', 'endWide'],
      ] as const) {
        const w = new ProtoWriter(16);
        const mark = w[begin]();
        for (let i = 0; i < size; i++) w.byte(i % 251);
        w[end](mark);
        const bytes = w.buf.subarray(0, w.pos);
        const { length, body } = readLength(bytes);
        expect(length).toBe(size);
        expect(body + size).toBe(bytes.length);
        if (size > 0) expect(bytes[body + size - 1]).toBe((size - 1) % 251);
      }
    },
  );

  it('writes every int64 the way protobuf reads it back', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
          fc.constantFrom(2 ** 63 - 1024, -(2 ** 63), 2 ** 62, -(2 ** 62) - 2048),
        ),
        (value) => {
          const w = new ProtoWriter(4);
          w.int64(value);
          const read = protobuf.Reader.create(w.buf.subarray(0, w.pos)).int64();
          expect(BigInt(read.toString())).toBe(BigInt(value));
        },
      ),
      propertyParameters,
    );
  });

  it('writes an HrTime as its exact nanoseconds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 999_999_999 }),
        (seconds, nanos) => {
          const w = new ProtoWriter(4);
          w.hrTime([seconds, nanos]);
          expect(w.buf.readBigUInt64LE(0)).toBe(BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
        },
      ),
      propertyParameters,
    );
  });
});
