import type { HrTime } from '@opentelemetry/api';

const TWO_32 = 4_294_967_296;

// Hex digit values by char code; anything else reads as 0, as the ids the SDK makes never hold it.
const HEX = new Uint8Array(128);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[65 + i] = 10 + i;
  HEX[97 + i] = 10 + i;
}

/** Bytes a varint of `value` (0..2^32) takes. */
export function varintSize(value: number): number {
  return value < 0x80
    ? 1
    : value < 0x4000
      ? 2
      : value < 0x20_0000
        ? 3
        : value < 0x1000_0000
          ? 4
          : 5;
}

/**
 * A growable protobuf writer over one reused `Buffer`: the encoders write
 * straight into it, with no intermediate message objects. A nested message
 * reserves one length byte and shifts its body in the rare case it needs more.
 */
export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  /** @param target the buffer to write into, or the capacity of a new one. */
  constructor(target: Buffer | number = 4096) {
    this.buf = typeof target === 'number' ? Buffer.allocUnsafe(target) : target;
  }

  /** Makes room for `bytes` more bytes. */
  ensure(bytes: number): void {
    if (this.pos + bytes > this.buf.length) this.#grow(bytes);
  }

  #grow(bytes: number): void {
    let size = Math.max(64, this.buf.length * 2);
    while (size < this.pos + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** One byte: a tag whose field number and wire type fit in 7 bits. */
  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /** An unsigned varint of 0..2^32. */
  varint(value: number): void {
    this.ensure(5);
    const b = this.buf;
    let p = this.pos;
    let v = value >>> 0;
    while (v > 127) {
      b[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    b[p++] = v;
    this.pos = p;
  }

  /** A protobuf `int64` from a JS integer in [-2^63, 2^63); negatives take ten bytes. */
  int64(value: number): void {
    if (value >= 0 && value < TWO_32) {
      this.varint(value);
      return;
    }
    let lo: number;
    let hi: number;
    if (value >= 0) {
      lo = value % TWO_32;
      hi = (value - lo) / TWO_32;
    } else {
      const abs = -value;
      lo = ~(abs % TWO_32) >>> 0;
      hi = ~Math.floor(abs / TWO_32) >>> 0;
      lo = (lo + 1) >>> 0;
      if (lo === 0) hi = (hi + 1) >>> 0;
    }
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (hi > 0 || lo > 127) {
      b[p++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    b[p++] = lo;
    this.pos = p;
  }

  fixed32(value: number): void {
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = value;
    b[p + 1] = value >>> 8;
    b[p + 2] = value >>> 16;
    b[p + 3] = value >>> 24;
    this.pos = p + 4;
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /**
   * An `HrTime` as nanoseconds in a fixed64. Seconds times 1e9 passes 2^53,
   * so it is taken as (seconds × 1953125) × 2^9: the first product is exact
   * below 2^53, and the shift splits exactly into the two 32-bit halves.
   */
  hrTime(time: HrTime): void {
    const t = time[0] * 1_953_125;
    const high = Math.floor(t / 8_388_608); // t >> 23
    let lo = (t - high * 8_388_608) * 512 + time[1];
    let hi = high;
    if (lo >= TWO_32) {
      lo -= TWO_32;
      hi += 1;
    }
    this.ensure(8);
    const b = this.buf;
    const p = this.pos;
    b[p] = lo;
    b[p + 1] = lo >>> 8;
    b[p + 2] = lo >>> 16;
    b[p + 3] = lo >>> 24;
    b[p + 4] = hi;
    b[p + 5] = hi >>> 8;
    b[p + 6] = hi >>> 16;
    b[p + 7] = hi >>> 24;
    this.pos = p + 8;
  }

  /** A length-delimited UTF-8 string; lone surrogates become U+FFFD, as `TextEncoder` does. */
  string(value: string): void {
    const n = value.length;
    if (n < 24) {
      this.ensure(n + 1);
      const b = this.buf;
      const start = this.pos;
      let p = start + 1;
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c > 127) {
          this.#utf8(value);
          return;
        }
        b[p++] = c;
      }
      b[start] = n;
      this.pos = p;
      return;
    }
    this.#utf8(value);
  }

  #utf8(value: string): void {
    const length = Buffer.byteLength(value, 'utf8');
    this.varint(length);
    this.ensure(length);
    this.buf.write(value, this.pos, length, 'utf8');
    this.pos += length;
  }

  /** Length-delimited bytes. */
  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.raw(value);
  }

  /** Bytes already encoded (a cached string, a nested message). */
  raw(value: Uint8Array): void {
    const n = value.length;
    this.ensure(n);
    const b = this.buf;
    const p = this.pos;
    if (n < 32) for (let i = 0; i < n; i++) b[p + i] = value[i]!;
    else b.set(value, p);
    this.pos = p + n;
  }

  /** `length` bytes of `source` from `offset` (an entry of a cache). */
  copy(source: Uint8Array, offset: number, length: number): void {
    this.ensure(length);
    const b = this.buf;
    let p = this.pos;
    for (let i = offset, end = offset + length; i < end; i++) b[p++] = source[i]!;
    this.pos = p;
  }

  /** A length-delimited id from its hex form (32 digits for a trace, 16 for a span). */
  hexId(hex: string): void {
    const n = hex.length >>> 1;
    this.ensure(n + 1);
    const b = this.buf;
    let p = this.pos;
    b[p++] = n;
    for (let i = 0; i < n; i++) {
      b[p++] = (HEX[hex.charCodeAt(2 * i) & 127]! << 4) | HEX[hex.charCodeAt(2 * i + 1) & 127]!;
    }
    this.pos = p;
  }

  /**
   * Starts a nested message that is most often 128 bytes to 16 KiB long (a
   * span, a log record): reserves two length bytes, so that ending it rarely
   * moves its body.
   */
  beginWide(): number {
    this.ensure(2);
    const mark = this.pos;
    this.pos += 2;
    return mark;
  }

  /** Ends the nested message started at `mark` by `beginWide()`. */
  endWide(mark: number): void {
    const length = this.pos - mark - 2;
    if (length >= 0x80 && length < 0x4000) {
      const b = this.buf;
      b[mark] = (length & 127) | 128;
      b[mark + 1] = length >>> 7;
      return;
    }
    // One byte too many (a short record) or too few (a long one): move the body.
    const size = varintSize(length);
    // Growing replaces the buffer: read it only after.
    this.ensure(size - 2);
    const b = this.buf;
    b.copyWithin(mark + size, mark + 2, this.pos);
    this.pos += size - 2;
    let p = mark;
    let v = length;
    while (v > 127) {
      b[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    b[p] = v;
  }

  /** Starts a nested message: reserves its length byte and returns where it is. */
  begin(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Ends the nested message started at `mark`, writing its length there. */
  end(mark: number): void {
    const length = this.pos - mark - 1;
    if (length < 128) {
      this.buf[mark] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    const b = this.buf;
    b.copyWithin(mark + 1 + extra, mark + 1, this.pos);
    this.pos += extra;
    let p = mark;
    let v = length;
    while (v > 127) {
      b[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    b[p] = v;
  }
}
