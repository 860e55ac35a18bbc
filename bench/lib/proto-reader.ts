// A minimal reader of the protobuf wire format, for the benchmarks' sinks:
// they walk OTLP exports for the few fields they count, decoding nothing else.

export const LEN = 2;

/** The [start, end) ranges of the length-delimited values of `field` in buf[from, to). */
export function* embedded(
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

/** Reads fields of one message, buf[from, to). */
export class Reader {
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
