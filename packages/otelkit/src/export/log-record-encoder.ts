import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { writeAnyValue, writeKeyValues } from './any-value.ts';
import type { ProtoWriter } from './proto-writer.ts';
import type { StringCache } from './string-cache.ts';

/**
 * Writes the fields of one OTLP `LogRecord` message (logs.proto) for
 * `record`, in the meaning the official OTLP serializer gives them, reading
 * only the public `ReadableLogRecord` fields.
 */
export function encodeLogRecord(
  w: ProtoWriter,
  record: ReadableLogRecord,
  strings: StringCache,
): void {
  w.byte(0x09); // 1 time_unix_nano
  w.hrTime(record.hrTime);
  const severity = record.severityNumber;
  if (severity !== undefined && severity !== 0) {
    w.byte(0x10); // 2 severity_number
    w.int64(severity);
  }
  if (record.severityText) {
    w.byte(0x1a); // 3 severity_text
    strings.write(w, record.severityText);
  }
  if (record.body !== undefined) {
    w.byte(0x2a); // 5 body
    const mark = w.begin();
    writeAnyValue(w, record.body, strings);
    w.end(mark);
  }
  writeKeyValues(w, record.attributes, 0x32, strings); // 6 attributes
  if (record.droppedAttributesCount) {
    w.byte(0x38); // 7 dropped_attributes_count
    w.varint(record.droppedAttributesCount);
  }
  const context = record.spanContext;
  if (context?.traceFlags) {
    w.byte(0x45); // 8 flags, fixed32
    w.fixed32(context.traceFlags);
  }
  if (context?.traceId) {
    w.byte(0x4a); // 9 trace_id
    w.hexId(context.traceId);
  }
  if (context?.spanId) {
    w.byte(0x52); // 10 span_id
    w.hexId(context.spanId);
  }
  w.byte(0x59); // 11 observed_time_unix_nano
  w.hrTime(record.hrTimeObserved);
  if (record.eventName) {
    w.byte(0x62); // 12 event_name
    strings.write(w, record.eventName);
  }
}
