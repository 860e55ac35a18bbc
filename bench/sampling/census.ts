// What reached the sampling benchmark's sink, trace by trace: each span's
// trace id, and for each trace's root server span the kind of request it
// served (from `url.path`). Walks the OTLP wire format, decoding nothing else.
import { embedded, LEN, Reader } from '../lib/proto-reader.ts';
import { type Kind, SPANS_PER_REQUEST } from './arms.ts';

/** One trace as received. */
interface ReceivedTrace {
  spans: number;
  /** From the root server span's `url.path`; absent until the root arrived. */
  kind?: Kind;
}

/** The traces of every export received. */
export class Census {
  /** Bytes of the trace export request bodies, as sent. */
  bytes = 0;
  spans = 0;
  readonly traces = new Map<string, ReceivedTrace>();

  /** Adds one ExportTraceServiceRequest (decompressed). */
  add(body: Uint8Array): void {
    for (const [rsFrom, rsTo] of embedded(body, 0, body.length, 1)) {
      for (const [ssFrom, ssTo] of embedded(body, rsFrom, rsTo, 2)) {
        for (const [from, to] of embedded(body, ssFrom, ssTo, 2)) this.#span(body, from, to);
      }
    }
  }

  /** Per kind: traces received, and those complete (every span of the request there). */
  byKind(): Record<Kind, { traces: number; complete: number }> {
    const out = {
      ok: { traces: 0, complete: 0 },
      fail: { traces: 0, complete: 0 },
      slow: { traces: 0, complete: 0 },
    };
    for (const trace of this.traces.values()) {
      if (trace.kind === undefined) continue;
      out[trace.kind].traces++;
      if (trace.spans === SPANS_PER_REQUEST) out[trace.kind].complete++;
    }
    return out;
  }

  /** How many of `traceIds` arrived complete. */
  complete(traceIds: readonly string[]): number {
    return traceIds.filter((id) => this.traces.get(id)?.spans === SPANS_PER_REQUEST).length;
  }

  /** Traces with a span missing or too many, or no root: none should be. */
  get partial(): number {
    let n = 0;
    for (const trace of this.traces.values()) {
      if (trace.kind === undefined || trace.spans !== SPANS_PER_REQUEST) n++;
    }
    return n;
  }

  #span(buf: Uint8Array, from: number, to: number): void {
    this.spans++;
    let traceId = '';
    let hasParent = false;
    let path: string | undefined;
    const reader = new Reader(buf, from, to);
    while (reader.more()) {
      const { field, wire } = reader.tag();
      if (wire !== LEN) {
        reader.skip(wire);
        continue;
      }
      const [start, end] = reader.bytes();
      if (field === 1)
        traceId = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('hex');
      else if (field === 4) hasParent = end > start;
      else if (field === 9 && path === undefined) path = urlPath(buf, start, end);
    }
    let trace = this.traces.get(traceId);
    if (trace === undefined) {
      trace = { spans: 0 };
      this.traces.set(traceId, trace);
    }
    trace.spans++;
    if (!hasParent && path?.startsWith('/work/')) trace.kind = path.slice('/work/'.length) as Kind;
  }
}

/** The string value of a KeyValue whose key is `url.path`, else undefined. */
function urlPath(buf: Uint8Array, from: number, to: number): string | undefined {
  let key: string | undefined;
  let value: string | undefined;
  const reader = new Reader(buf, from, to);
  while (reader.more()) {
    const { field, wire } = reader.tag();
    if (wire !== LEN) {
      reader.skip(wire);
      continue;
    }
    const [start, end] = reader.bytes();
    if (field === 1) {
      key = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString();
      if (key !== 'url.path') return undefined;
    } else if (field === 2) {
      // AnyValue.string_value (1)
      const inner = new Reader(buf, start, end);
      if (inner.more() && inner.tag().field === 1) {
        const [s, e] = inner.bytes();
        value = Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString();
      }
    }
  }
  return key === 'url.path' ? value : undefined;
}
