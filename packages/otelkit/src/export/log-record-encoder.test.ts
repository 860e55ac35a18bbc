import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeLogRecord } from './log-record-encoder.ts';
import { batchOf, logRecords, propertyParameters } from './test-support/arbitraries.ts';
import { encodeBatch } from './test-support/encode-batch.ts';
import { canonical, decodeRequest } from './test-support/otlp-messages.ts';

function official(items: ReadableLogRecord[]): Uint8Array {
  return ProtobufLogsSerializer.serializeRequest(items as never)!;
}

describe('encodeLogRecord', () => {
  it('sends log records that decode to the same messages as the official serializer', () => {
    fc.assert(
      fc.property(batchOf(logRecords), (items) => {
        const ours = canonical('logs', decodeRequest('logs', encodeBatch(items, encodeLogRecord)));
        const theirs = canonical('logs', decodeRequest('logs', official(items)));
        expect(ours).toEqual(theirs);
      }),
      propertyParameters,
    );
  }, 120_000);
});
