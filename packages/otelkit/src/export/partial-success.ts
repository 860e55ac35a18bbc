/** What an OTLP export response says about records the backend refused. */
export interface PartialSuccess {
  /** `rejected_spans` or `rejected_log_records`. */
  rejected: number;
  errorMessage: string;
}

/**
 * Reads `partial_success` from an `Export{Trace,Logs}ServiceResponse`
 * (both: field 1, holding `rejected_*` = 1 and `error_message` = 2). A body
 * that is not such a message reads as nothing rejected.
 */
export function readPartialSuccess(body: Uint8Array): PartialSuccess {
  const result = { rejected: 0, errorMessage: '' };
  try {
    const outer = new Reader(body);
    while (outer.more()) {
      const tag = outer.varint();
      if (tag !== 0x0a) {
        outer.skip(tag & 7);
        continue;
      }
      const inner = new Reader(outer.bytes());
      while (inner.more()) {
        const field = inner.varint();
        if (field === 0x08) result.rejected = inner.varint();
        else if (field === 0x12) result.errorMessage = Buffer.from(inner.bytes()).toString('utf8');
        else inner.skip(field & 7);
      }
    }
  } catch {
    // Not a protobuf response (a proxy's HTML page): nothing to read.
  }
  return result;
}

/** The status message of a `google.rpc.Status` error body, or `''`. */
export function readStatusMessage(body: Uint8Array): string {
  try {
    const reader = new Reader(body);
    while (reader.more()) {
      const tag = reader.varint();
      if (tag === 0x12) return Buffer.from(reader.bytes()).toString('utf8');
      reader.skip(tag & 7);
    }
  } catch {
    // Not a protobuf body.
  }
  return '';
}

class Reader {
  readonly #bytes: Uint8Array;
  #pos = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  more(): boolean {
    return this.#pos < this.#bytes.length;
  }

  /** A varint as a JS number (exact up to 2^53, which record counts never reach). */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.#bytes[this.#pos++];
      if (byte === undefined) throw new RangeError('truncated varint');
      value += (byte & 127) * scale;
      if (byte < 128) return value;
      scale *= 128;
    }
    throw new RangeError('varint too long');
  }

  bytes(): Uint8Array {
    const length = this.varint();
    const end = this.#pos + length;
    if (end > this.#bytes.length) throw new RangeError('truncated field');
    const value = this.#bytes.subarray(this.#pos, end);
    this.#pos = end;
    return value;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.#pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.#pos += 4;
    else throw new RangeError(`unknown wire type ${wireType}`);
  }
}
