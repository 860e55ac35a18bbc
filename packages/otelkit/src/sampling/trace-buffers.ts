import type { HeldSpan, LocalTrace } from './local-trace.ts';

/**
 * The spans waiting for their trace's decision, bounded in encoded bytes:
 * each local trace holds its own, and the traces holding any are listed in
 * the order their first span was held, so the oldest is found at once when
 * the bound is reached or a trace has waited too long.
 */
export class TraceBuffers {
  /** The bound on `bytes`. */
  readonly maxBytes: number;
  /** Encoded bytes held, all traces together. */
  bytes = 0;
  /** Spans held. */
  count = 0;
  /** The most `bytes` ever held: the bound at work, for tests and benchmarks. */
  peakBytes = 0;
  #oldest: LocalTrace | undefined;
  #newest: LocalTrace | undefined;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** The undecided trace that has held spans the longest. */
  get oldest(): LocalTrace | undefined {
    return this.#oldest;
  }

  /** Whether `bytes` more fit under the bound now. */
  fits(bytes: number): boolean {
    return this.bytes + bytes <= this.maxBytes;
  }

  /** Holds `span` for `trace` (the caller made room first), `now` from `performance.now()`. */
  hold(trace: LocalTrace, span: HeldSpan, now: number): void {
    if (trace.held.length === 0) {
      trace.since = now;
      trace.older = this.#newest;
      trace.newer = undefined;
      if (this.#newest) this.#newest.newer = trace;
      else this.#oldest = trace;
      this.#newest = trace;
    }
    trace.held.push(span);
    const size = span.bytes.length;
    trace.bytes += size;
    this.bytes += size;
    this.count++;
    if (this.bytes > this.peakBytes) this.peakBytes = this.bytes;
  }

  /** Takes out every span `trace` holds, for its decision. */
  release(trace: LocalTrace): HeldSpan[] {
    const held = trace.held;
    if (held.length === 0) return held;
    const { older, newer } = trace;
    if (older) older.newer = newer;
    else this.#oldest = newer;
    if (newer) newer.older = older;
    else this.#newest = older;
    trace.older = undefined;
    trace.newer = undefined;
    this.bytes -= trace.bytes;
    this.count -= held.length;
    trace.held = [];
    trace.bytes = 0;
    return held;
  }
}
