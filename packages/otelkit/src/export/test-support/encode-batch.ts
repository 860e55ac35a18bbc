import type { ExportItem } from '../export-pipeline.ts';
import { type Encoder, RecordBuffer, writeRecord } from '../record-buffer.ts';
import { encodeRequest } from '../request-body.ts';
import { StringCache } from '../string-cache.ts';

/** The request otelkit sends for `items`, through the same buffer and request encoder as the processors. */
export function encodeBatch<T extends ExportItem>(
  items: readonly T[],
  encode: Encoder<T>,
  strings = new StringCache(),
): Buffer {
  const buffer = new RecordBuffer();
  for (const item of items) {
    const group = buffer.group(item.resource, item.instrumentationScope);
    buffer.added(group, writeRecord(group.writer, item, encode, strings));
  }
  return buffer.seal((groups) => encodeRequest(groups)) ?? Buffer.alloc(0);
}
