// Counts the spans of OTLP/protobuf trace exports by walking the wire format:
// ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2)
// → ScopeSpans.spans(2) → Span.parent_span_id(4), Span.kind(6). Nothing else
// is decoded, so counting stays cheap next to the server being measured.

import { embedded, LEN, Reader } from '../lib/proto-reader.ts';

/** What a sink counted. */
export interface SpanCounts {
  /** Every span. */
  spans: number;
  /** Spans of kind SERVER with no parent: one per request a server traced. */
  rootServerSpans: number;
}

const SPAN_KIND_SERVER = 2;

/** Adds the spans of one ExportTraceServiceRequest to `counts`. */
export function countSpans(body: Uint8Array, counts: SpanCounts): void {
  for (const resourceSpans of embedded(body, 0, body.length, 1)) {
    for (const scopeSpans of embedded(body, resourceSpans[0], resourceSpans[1], 2)) {
      for (const [from, to] of embedded(body, scopeSpans[0], scopeSpans[1], 2)) {
        counts.spans++;
        if (isRootServerSpan(body, from, to)) counts.rootServerSpans++;
      }
    }
  }
}

function isRootServerSpan(buf: Uint8Array, from: number, to: number): boolean {
  let kind = 0;
  let hasParent = false;
  const reader = new Reader(buf, from, to);
  while (reader.more()) {
    const { field, wire } = reader.tag();
    if (field === 4 && wire === LEN) {
      const [start, end] = reader.bytes();
      hasParent = end > start;
    } else if (field === 6 && wire === 0) {
      kind = reader.varint();
    } else {
      reader.skip(wire);
    }
  }
  return kind === SPAN_KIND_SERVER && !hasParent;
}
