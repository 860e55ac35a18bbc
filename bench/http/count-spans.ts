// Counts the spans of OTLP/protobuf trace exports by walking the wire format:
// ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2)
// → ScopeSpans.spans(2) → Span.parent_span_id(4), Span.kind(6). Nothing else
// is decoded, so counting stays cheap next to the server being measured.

/** What a sink counted. */
export interface SpanCounts {
  /** Every span. */
  spans: number;
  /** Spans of kind SERVER with no parent: one per request a server traced. */
  rootServerSpans: number;
}

const LEN = 2;
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

/** The [start, end) ranges of the length-delimited values of `field` in buf[from, to). */
function* embedded(
  buf: Uint8Array,
  from: number,
  to: number,
  field: number,
): Generator<[number, number]> {
  const reader = new Reader(buf, from, to);
  while (reader.more()) {
    const tag = reader.tag();
    if (tag.field === field && tag.wire === LEN) yield reader.bytes();
    else reader.skip(tag.wire);
  }
}

class Reader {
  private readonly buf: Uint8Array;
  private at: number;
  private readonly end: number;

  constructor(buf: Uint8Array, from: number, to: number) {
    this.buf = buf;
    this.at = from;
    this.end = to;
  }

  more(): boolean {
    return this.at < this.end;
  }

  tag(): { field: number; wire: number } {
    const tag = this.varint();
    return { field: Math.floor(tag / 8), wire: tag % 8 };
  }

  varint(): number {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      if (this.at >= this.end) throw new Error('truncated protobuf varint');
      const byte = this.buf[this.at++]!;
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  }

  bytes(): [number, number] {
    const length = this.varint();
    const start = this.at;
    this.at += length;
    if (this.at > this.end) throw new Error('truncated protobuf field');
    return [start, this.at];
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.at += 8;
    else if (wire === LEN) this.bytes();
    else if (wire === 5) this.at += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
    if (this.at > this.end) throw new Error('truncated protobuf field');
  }
}
