import type { Resource } from '@opentelemetry/resources';
import type { Scope } from '../export/origin-encoder.ts';
import type { LocalTrace } from './local-trace.ts';

/** The first buffer of a trace: room for a few spans, so most traces allocate once. */
const FIRST_BUFFER_BYTES = 1024;

/** One held span, as the decision hands it over: `length` bytes of `source` from `offset`. */
export type HeldSpanVisitor = (
  resource: Resource,
  scope: Scope,
  source: Buffer,
  offset: number,
  length: number,
) => void;

/**
 * The spans waiting for their trace's decision, bounded in bytes: each local
 * trace encodes its spans back to back into a buffer of its own (one
 * allocation for most traces, none per span), and the bound counts those
 * buffers whole, slack included, so it is the memory they take. The traces
 * holding spans are listed in the order their first span was held, so the
 * oldest is found at once when the bound is reached or a trace waited too long.
 */
export class TraceBuffers {
  /** The bound on `bytes`. */
  readonly maxBytes: number;
  /** The bytes of every trace's buffer. */
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

  /** The bytes `trace` adds to `bytes` when it holds `size` more (its buffer growing, or its first). */
  growth(trace: LocalTrace, size: number): number {
    const capacity = trace.buffer?.length ?? 0;
    const needed = trace.used + size;
    if (needed <= capacity) return 0;
    return Math.max(needed, capacity * 2, FIRST_BUFFER_BYTES) - capacity;
  }

  /** Whether `bytes` more fit under the bound now. */
  fits(bytes: number): boolean {
    return this.bytes + bytes <= this.maxBytes;
  }

  /**
   * Holds `length` bytes of `source` from `offset`, one span, for `trace`;
   * the caller made room for `growth(trace, length)` first. `now` from
   * `performance.now()`.
   */
  hold(
    trace: LocalTrace,
    resource: Resource,
    scope: Scope,
    source: Buffer,
    length: number,
    now: number,
  ): void {
    const growth = this.growth(trace, length);
    if (growth > 0) {
      const previous = trace.buffer;
      const buffer = Buffer.allocUnsafeSlow((previous?.length ?? 0) + growth);
      previous?.copy(buffer, 0, 0, trace.used);
      trace.buffer = buffer;
      this.bytes += growth;
      if (this.bytes > this.peakBytes) this.peakBytes = this.bytes;
    }
    if (trace.held.length === 0) this.#append(trace, now);
    source.copy(trace.buffer!, trace.used, 0, length);
    trace.used += length;
    trace.held.push(resource, scope, trace.used);
    this.count++;
  }

  /** Takes out every span `trace` holds, handing each to `visit` (when given) before letting go. */
  release(trace: LocalTrace, visit?: HeldSpanVisitor): void {
    const { held, buffer } = trace;
    if (held.length === 0 || buffer === undefined) return;
    this.#unlink(trace);
    this.bytes -= buffer.length;
    this.count -= held.length / 3;
    trace.held = [];
    trace.buffer = undefined;
    trace.used = 0;
    if (visit === undefined) return;
    let start = 0;
    for (let i = 0; i < held.length; i += 3) {
      const end = held[i + 2] as number;
      visit(held[i] as Resource, held[i + 1] as Scope, buffer, start, end - start);
      start = end;
    }
  }

  #append(trace: LocalTrace, now: number): void {
    trace.since = now;
    trace.older = this.#newest;
    trace.newer = undefined;
    if (this.#newest) this.#newest.newer = trace;
    else this.#oldest = trace;
    this.#newest = trace;
  }

  #unlink(trace: LocalTrace): void {
    const { older, newer } = trace;
    if (older) older.newer = newer;
    else this.#oldest = newer;
    if (newer) newer.older = older;
    else this.#newest = older;
    trace.older = undefined;
    trace.newer = undefined;
  }
}
