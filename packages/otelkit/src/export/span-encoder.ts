import type { Link, SpanContext, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { writeKeyValues } from './any-value.ts';
import type { ProtoWriter } from './proto-writer.ts';
import type { StringCache } from './string-cache.ts';

// `SpanFlags` (trace.proto): the low byte is the W3C trace flags; these say whether the parent was remote.
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

/**
 * Writes the fields of one OTLP `Span` message (trace.proto) for `span`,
 * in the meaning the official OTLP serializer gives them, reading only the
 * public `ReadableSpan` fields. Strings that repeat (names, attribute keys)
 * come from `strings`.
 */
export function encodeSpan(w: ProtoWriter, span: ReadableSpan, strings: StringCache): void {
  const context = span.spanContext();
  writeIds(w, context);
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.byte(0x22); // 4 parent_span_id
    w.hexId(parent.spanId);
  }
  w.byte(0x2a); // 5 name
  strings.write(w, span.name);
  const kind = span.kind == null ? 0 : span.kind + 1; // OTLP counts kinds from 1; 0 is unspecified
  if (kind !== 0) {
    w.byte(0x30); // 6 kind
    w.varint(kind);
  }
  w.byte(0x39); // 7 start_time_unix_nano
  w.hrTime(span.startTime);
  w.byte(0x41); // 8 end_time_unix_nano
  w.hrTime(span.endTime);
  writeKeyValues(w, span.attributes, 0x4a, strings); // 9 attributes
  // Zero counts are left out: proto3 reads an absent field as 0.
  if (span.droppedAttributesCount) {
    w.byte(0x50); // 10 dropped_attributes_count
    w.varint(span.droppedAttributesCount);
  }
  const events = span.events;
  for (let i = 0; i < events.length; i++) writeEvent(w, events[i]!, strings);
  if (span.droppedEventsCount) {
    w.byte(0x60); // 12 dropped_events_count
    w.varint(span.droppedEventsCount);
  }
  const links = span.links;
  for (let i = 0; i < links.length; i++) writeLink(w, links[i]!, strings);
  if (span.droppedLinksCount) {
    w.byte(0x70); // 14 dropped_links_count
    w.varint(span.droppedLinksCount);
  }
  writeStatus(w, span.status);
  w.byte(0x85); // 16 flags, fixed32 (a two-byte tag)
  w.byte(0x01);
  w.fixed32(spanFlags(context.traceFlags, parent?.isRemote));
}

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);
}

function writeEvent(w: ProtoWriter, event: TimedEvent, strings: StringCache): void {
  w.byte(0x5a); // 11 events
  const mark = w.begin();
  w.byte(0x09); // 1 time_unix_nano
  w.hrTime(event.time);
  w.byte(0x12); // 2 name
  strings.write(w, event.name);
  if (event.attributes) writeKeyValues(w, event.attributes, 0x1a, strings); // 3 attributes
  if (event.droppedAttributesCount) {
    w.byte(0x20); // 4 dropped_attributes_count
    w.varint(event.droppedAttributesCount);
  }
  w.end(mark);
}

function writeLink(w: ProtoWriter, link: Link, strings: StringCache): void {
  w.byte(0x6a); // 13 links
  const mark = w.begin();
  const context = link.context;
  writeIds(w, context);
  if (link.attributes) writeKeyValues(w, link.attributes, 0x22, strings); // 4 attributes
  if (link.droppedAttributesCount) {
    w.byte(0x28); // 5 dropped_attributes_count
    w.varint(link.droppedAttributesCount);
  }
  w.byte(0x35); // 6 flags, fixed32
  w.fixed32(spanFlags(context.traceFlags, context.isRemote));
  w.end(mark);
}

function writeStatus(w: ProtoWriter, status: SpanStatus): void {
  w.byte(0x7a); // 15 status
  const mark = w.begin();
  if (status.message) {
    w.byte(0x12); // 2 message
    w.string(status.message);
  }
  if (status.code) {
    w.byte(0x18); // 3 code
    w.varint(status.code);
  }
  w.end(mark);
}

/** Fields 1 to 3 of a span and of a link alike: trace_id, span_id, trace_state. */
function writeIds(w: ProtoWriter, context: SpanContext): void {
  w.byte(0x0a); // 1 trace_id
  w.hexId(context.traceId);
  w.byte(0x12); // 2 span_id
  w.hexId(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    w.byte(0x1a); // 3 trace_state
    w.string(traceState);
  }
}
