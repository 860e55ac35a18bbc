import type { DatabaseSync } from 'node:sqlite';
import { parseSegments } from './segments.ts';
import { TopK } from './top-k.ts';

/** One trace as the search sees it. */
export interface IndexedTrace {
  traceId: string;
  /** Start, in milliseconds since the epoch (fractional). */
  startMs: number;
  durationMs: number;
  errors: number;
  /** The trace's search terms, each once (see `format/search-term.ts`). */
  terms: Float64Array;
}

/** A search over the index; every condition given must hold. */
export interface TraceSearch {
  /** Terms the trace must all carry (services, operations, attributes). */
  terms: number[];
  sinceMs?: number;
  untilMs?: number;
  minDurationMs?: number;
  maxDurationMs?: number;
  errorsOnly?: boolean;
  sort: 'recent' | 'slowest';
  offset: number;
  limit: number;
}

const initialSlots = 1024;
const signatureWords = 8;

// The signature word and bit of a term (its low eight bits; the hash spreads them evenly).
function signatureBit(term: number): [word: number, bit: number] {
  const low = term % 256;
  return [low >>> 5, 1 << (low & 31)];
}

/**
 * The trace search, in memory. Each stored trace has a slot in typed arrays (start, duration,
 * errors, and where its terms lie in one shared pool of terms), in arrival order. A search scans
 * every slot, newest first, so any combination of conditions answers with its exact total
 * without an index for SQLite to maintain on ingest: the scan reads memory in order, a few
 * bytes per trace plus eight per term. A trace that grows gets a new run of terms at the end of
 * the pool; removed traces and replaced runs are reclaimed by compacting now and then. It is
 * rebuilt from `traces` and `trace_terms` when the store opens.
 */
export class TraceIndex {
  readonly #slotOf = new Map<string, number>();
  #ids: (string | undefined)[] = [];
  #start = new Float64Array(initialSlots);
  #duration = new Float64Array(initialSlots);
  #errors = new Uint32Array(initialSlots);
  #termStart = new Uint32Array(initialSlots);
  #termCount = new Uint32Array(initialSlots);
  // A 256-bit signature of each trace's terms: one bit per term, so most traces without a term
  // are passed over without reading their terms.
  #signature = new Uint32Array(initialSlots * signatureWords);
  #slots = 0;
  #pool = new Float64Array(initialSlots * 32);
  #poolUsed = 0;
  #wasted = 0;

  /** Loads the index from the `traces` and `trace_terms` tables. */
  static load(db: DatabaseSync): TraceIndex {
    const index = new TraceIndex();
    const chunks = new Map<number, Float64Array>();
    for (const row of db.prepare('SELECT id, terms FROM trace_terms').iterate()) {
      chunks.set(Number(row.id), termsFromBlob(row.terms as Uint8Array));
    }
    const rows = db
      .prepare(`SELECT trace_id, start_ns / 1e6 AS start_ms, duration_ns / 1e6 AS duration_ms,
        error_count, segments FROM traces ORDER BY first_id`)
      .iterate();
    for (const row of rows) {
      const terms = parseSegments(String(row.segments)).map(
        (segment) => chunks.get(segment.first) ?? new Float64Array(0),
      );
      index.set({
        traceId: String(row.trace_id),
        startMs: Number(row.start_ms),
        durationMs: Number(row.duration_ms),
        errors: Number(row.error_count),
        terms:
          terms.length === 1
            ? terms[0]!
            : mergeTerms(
                undefined,
                terms.flatMap((t) => [...t]),
              ),
      });
    }
    return index;
  }

  get size(): number {
    return this.#slotOf.size;
  }

  /** The trace `traceId`; its terms are a copy. */
  get(traceId: string): IndexedTrace | undefined {
    const slot = this.#slotOf.get(traceId);
    if (slot === undefined) return undefined;
    const start = this.#termStart[slot]!;
    return {
      traceId,
      startMs: this.#start[slot]!,
      durationMs: this.#duration[slot]!,
      errors: this.#errors[slot]!,
      terms: this.#pool.slice(start, start + this.#termCount[slot]!),
    };
  }

  /** Adds a trace, or replaces what is known of it. */
  set(trace: IndexedTrace): void {
    let slot = this.#slotOf.get(trace.traceId);
    if (slot === undefined) {
      if (this.#slots === this.#start.length) this.#grow();
      slot = this.#slots++;
      this.#slotOf.set(trace.traceId, slot);
      this.#ids[slot] = trace.traceId;
    } else {
      this.#wasted += this.#termCount[slot]!;
    }
    this.#start[slot] = trace.startMs;
    this.#duration[slot] = trace.durationMs;
    this.#errors[slot] = trace.errors;
    if (this.#poolUsed + trace.terms.length > this.#pool.length) this.#growPool(trace.terms.length);
    this.#pool.set(trace.terms, this.#poolUsed);
    this.#termStart[slot] = this.#poolUsed;
    this.#termCount[slot] = trace.terms.length;
    this.#poolUsed += trace.terms.length;
    this.#sign(slot, trace.terms);
  }

  #sign(slot: number, terms: Float64Array): void {
    const base = slot * signatureWords;
    const signature = this.#signature;
    signature.fill(0, base, base + signatureWords);
    for (let i = 0; i < terms.length; i++) {
      const low = terms[i]! % 256;
      signature[base + (low >>> 5)]! |= 1 << (low & 31);
    }
  }

  delete(traceId: string): void {
    const slot = this.#slotOf.get(traceId);
    if (slot === undefined) return;
    this.#slotOf.delete(traceId);
    this.#ids[slot] = undefined;
    this.#wasted += this.#termCount[slot]!;
    this.#termCount[slot] = 0;
    if (this.#slots > initialSlots && this.#slotOf.size < this.#slots / 2) this.#compact();
  }

  /** The ids of one page of matching traces, in the order asked for, and how many match. */
  search(query: TraceSearch): { traceIds: string[]; total: number } {
    const since = query.sinceMs ?? Number.NEGATIVE_INFINITY;
    const until = query.untilMs ?? Number.POSITIVE_INFINITY;
    const minDuration = query.minDurationMs ?? Number.NEGATIVE_INFINITY;
    const maxDuration = query.maxDurationMs ?? Number.POSITIVE_INFINITY;
    const terms = [...new Set(query.terms)];
    const slowest = query.sort === 'slowest';
    const starts = this.#start;
    const durations = this.#duration;
    const errors = this.#errors;
    const ids = this.#ids;
    const key = slowest ? durations : starts;
    const top = new TopK<number>(
      query.offset + query.limit,
      (a, b) =>
        key[a]! - key[b]! ||
        starts[a]! - starts[b]! ||
        (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0),
    );
    const pool = this.#pool;
    const termStart = this.#termStart;
    const termCount = this.#termCount;
    const errorsOnly = query.errorsOnly === true;
    const signature = this.#signature;
    const bits = terms.map(signatureBit);
    let total = 0;
    // Newest first: the page of the newest traces fills early and later slots rarely enter it.
    slots: for (let slot = this.#slots - 1; slot >= 0; slot--) {
      if (ids[slot] === undefined) continue;
      const start = starts[slot]!;
      if (start < since || start > until) continue;
      const duration = durations[slot]!;
      if (duration < minDuration || duration > maxDuration) continue;
      if (errorsOnly && errors[slot] === 0) continue;
      const base = slot * signatureWords;
      for (let t = 0; t < bits.length; t++) {
        const [word, bit] = bits[t]!;
        if ((signature[base + word]! & bit) === 0) continue slots;
      }
      const from = termStart[slot]!;
      const to = from + termCount[slot]!;
      for (let t = 0; t < terms.length; t++) {
        const term = terms[t]!;
        let i = from;
        while (i < to && pool[i] !== term) i++;
        if (i === to) continue slots;
      }
      total++;
      top.add(slot);
    }
    const page = top.sortedDescending().slice(query.offset);
    return { traceIds: page.map((slot) => ids[slot]!), total };
  }

  #grow(): void {
    const size = this.#start.length * 2;
    this.#start = resized(this.#start, size);
    this.#duration = resized(this.#duration, size);
    this.#errors = resized(this.#errors, size);
    this.#termStart = resized(this.#termStart, size);
    this.#termCount = resized(this.#termCount, size);
    this.#signature = resized(this.#signature, size * signatureWords);
  }

  #growPool(needed: number): void {
    // Reclaiming replaced runs is worth it once they are half the pool.
    if (this.#wasted > this.#poolUsed / 2) {
      this.#compact();
      if (this.#poolUsed + needed <= this.#pool.length) return;
    }
    this.#pool = resized(this.#pool, Math.max(this.#pool.length * 2, this.#poolUsed + needed));
  }

  // Moves the live slots and their terms to the front, keeping their order.
  #compact(): void {
    const pool = new Float64Array(Math.max(initialSlots * 32, (this.#poolUsed - this.#wasted) * 2));
    let used = 0;
    let next = 0;
    for (let slot = 0; slot < this.#slots; slot++) {
      const id = this.#ids[slot];
      if (id === undefined) continue;
      const from = this.#termStart[slot]!;
      const count = this.#termCount[slot]!;
      pool.set(this.#pool.subarray(from, from + count), used);
      this.#ids[next] = id;
      this.#slotOf.set(id, next);
      this.#start[next] = this.#start[slot]!;
      this.#duration[next] = this.#duration[slot]!;
      this.#errors[next] = this.#errors[slot]!;
      this.#termStart[next] = used;
      this.#termCount[next] = count;
      this.#signature.copyWithin(
        next * signatureWords,
        slot * signatureWords,
        (slot + 1) * signatureWords,
      );
      used += count;
      next++;
    }
    this.#ids.length = next;
    this.#slots = next;
    this.#pool = pool;
    this.#poolUsed = used;
    this.#wasted = 0;
  }
}

function resized<T extends Float64Array | Uint32Array>(array: T, size: number): T {
  const copy = new (array.constructor as new (size: number) => T)(size);
  copy.set(array.subarray(0, Math.min(array.length, size)));
  return copy;
}

// A reused open-addressing set of doubles for {@link mergeTerms}: a stamp per slot marks the
// slots in use by the current call, so nothing is cleared or allocated between calls.
let tableKeys = new Float64Array(256);
let tableStamps = new Uint32Array(256);
let stamp = 0;

/**
 * `existing` and `added` as one array without duplicates. Terms stay unsorted: a trace has a
 * few dozen, which a search scans faster than it would binary-search them.
 */
export function mergeTerms(existing: Float64Array | undefined, added: number[]): Float64Array {
  const total = (existing?.length ?? 0) + added.length;
  if (tableKeys.length < total * 2) {
    let size = tableKeys.length;
    while (size < total * 2) size *= 2;
    tableKeys = new Float64Array(size);
    tableStamps = new Uint32Array(size);
  }
  if (++stamp === 0xffffffff) {
    tableStamps.fill(0);
    stamp = 1;
  }
  const mask = tableKeys.length - 1;
  const out = new Float64Array(total);
  let count = 0;
  const add = (term: number) => {
    // The low bits of a hash are as good as any.
    let slot = term % (mask + 1);
    while (tableStamps[slot] === stamp) {
      if (tableKeys[slot] === term) return;
      slot = (slot + 1) & mask;
    }
    tableStamps[slot] = stamp;
    tableKeys[slot] = term;
    out[count++] = term;
  };
  if (existing) for (const term of existing) add(term);
  for (const term of added) add(term);
  return count === out.length ? out : out.slice(0, count);
}

/** The stored form of a term list. */
export function termsToBlob(terms: Float64Array): Uint8Array {
  return new Uint8Array(terms.buffer, terms.byteOffset, terms.byteLength);
}

/** Reads a stored term list (copied: SQLite's bytes need not be 8-byte aligned). */
export function termsFromBlob(blob: Uint8Array | null | undefined): Float64Array {
  if (!blob || blob.byteLength < 8) return new Float64Array(0);
  const copy = new Uint8Array(blob.byteLength - (blob.byteLength % 8));
  copy.set(blob.subarray(0, copy.length));
  return new Float64Array(copy.buffer);
}
