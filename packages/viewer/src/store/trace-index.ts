import type { DatabaseSync } from 'node:sqlite';
import { TopK } from './top-k.ts';

/** One trace as the search sees it. */
export interface IndexedTrace {
  traceId: string;
  /** Start, in milliseconds since the epoch (fractional). */
  startMs: number;
  durationMs: number;
  errors: number;
  /** The trace's search terms, sorted and unique (see `format/search-term.ts`). */
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

/**
 * The trace search, in memory: one small record per stored trace. A search scans them all, so
 * any combination of conditions answers with its exact total in a few milliseconds (about
 * 125,000 traces for a million spans), with no index for SQLite to maintain on ingest. It is
 * rebuilt from `traces` when the store opens.
 */
export class TraceIndex {
  readonly #traces = new Map<string, IndexedTrace>();

  /** Loads the index from the `traces` table. */
  static load(db: DatabaseSync): TraceIndex {
    const index = new TraceIndex();
    const rows = db
      .prepare(`SELECT trace_id, start_ns / 1e6 AS start_ms, duration_ns / 1e6 AS duration_ms,
        error_count, terms FROM traces`)
      .iterate();
    for (const row of rows) {
      index.set({
        traceId: String(row.trace_id),
        startMs: Number(row.start_ms),
        durationMs: Number(row.duration_ms),
        errors: Number(row.error_count),
        terms: termsFromBlob(row.terms as Uint8Array),
      });
    }
    return index;
  }

  get size(): number {
    return this.#traces.size;
  }

  get(traceId: string): IndexedTrace | undefined {
    return this.#traces.get(traceId);
  }

  set(trace: IndexedTrace): void {
    this.#traces.set(trace.traceId, trace);
  }

  delete(traceId: string): void {
    this.#traces.delete(traceId);
  }

  /** The ids of one page of matching traces, in the order asked for, and how many match. */
  search(query: TraceSearch): { traceIds: string[]; total: number } {
    const since = query.sinceMs ?? Number.NEGATIVE_INFINITY;
    const until = query.untilMs ?? Number.POSITIVE_INFINITY;
    const minDuration = query.minDurationMs ?? Number.NEGATIVE_INFINITY;
    const maxDuration = query.maxDurationMs ?? Number.POSITIVE_INFINITY;
    const terms = [...new Set(query.terms)];
    const slowest = query.sort === 'slowest';
    const top = new TopK<IndexedTrace>(
      query.offset + query.limit,
      (a, b) =>
        (slowest ? a.durationMs - b.durationMs : 0) ||
        a.startMs - b.startMs ||
        (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0),
    );
    let total = 0;
    for (const trace of this.#traces.values()) {
      if (trace.startMs < since || trace.startMs > until) continue;
      if (trace.durationMs < minDuration || trace.durationMs > maxDuration) continue;
      if (query.errorsOnly && trace.errors === 0) continue;
      if (!hasAll(trace.terms, terms)) continue;
      total++;
      top.add(trace);
    }
    const page = top.sortedDescending().slice(query.offset);
    return { traceIds: page.map((trace) => trace.traceId), total };
  }
}

function hasAll(sorted: Float64Array, terms: number[]): boolean {
  for (const term of terms) if (!contains(sorted, term)) return false;
  return true;
}

function contains(sorted: Float64Array, term: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = sorted[mid]!;
    if (value === term) return true;
    if (value < term) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

/** `existing` and `added` as one sorted array without duplicates. */
export function mergeTerms(
  existing: Float64Array | undefined,
  added: Iterable<number>,
): Float64Array {
  const all = new Set(added);
  if (existing) for (const term of existing) all.add(term);
  return Float64Array.from(all).sort();
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
