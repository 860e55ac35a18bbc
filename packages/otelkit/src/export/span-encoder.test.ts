import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSpan } from './span-encoder.ts';
import { StringCache } from './string-cache.ts';
import { batchOf, propertyParameters, spans } from './test-support/arbitraries.ts';
import { encodeBatch } from './test-support/encode-batch.ts';
import { canonical, decodeRequest } from './test-support/otlp-messages.ts';

function official(items: ReadableSpan[]): Uint8Array {
  return ProtobufTraceSerializer.serializeRequest(items as never)!;
}

describe('encodeSpan', () => {
  it('sends spans that decode to the same messages as the official serializer', () => {
    fc.assert(
      fc.property(batchOf(spans), (items) => {
        const ours = canonical('traces', decodeRequest('traces', encodeBatch(items, encodeSpan)));
        const theirs = canonical('traces', decodeRequest('traces', official(items)));
        expect(ours).toEqual(theirs);
      }),
      propertyParameters,
    );
  }, 120_000);

  it('encodes the same span the same way from its cached strings as on first sight', () => {
    const strings = new StringCache(4);
    fc.assert(
      fc.property(batchOf(spans), (items) => {
        const first = encodeBatch(items, encodeSpan, strings);
        const again = encodeBatch(items, encodeSpan, strings);
        expect(Buffer.compare(first, again)).toBe(0);
      }),
      { ...propertyParameters, numRuns: Math.ceil(propertyParameters.numRuns / 4) },
    );
  }, 120_000);
});
