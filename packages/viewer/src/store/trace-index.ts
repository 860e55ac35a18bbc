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

/**
 * The trace search, in memory: one small record per stored trace. A search scans them all, so
 * any combination of conditions answers with its exact total in a few milliseconds (about
 * 125,000 traces for a million spans), with no index for SQLite to maintain on ingest. It is
 * rebuilt from `traces` when the store opens.
 */
export class TraceIndex {
  readonly #traces = new Map<string, IndexedTrace>();

  /** Loads the index from the `traces` and `trace_terms` tables. */
  static load(db: DatabaseSync): TraceIndex {
    const index = new TraceIndex();
    const chunks = new Map<number, Float64Array>();
    for (const row of db.prepare('SELECT id, terms FROM trace_terms').iterate()) {
      chunks.set(Number(row.id), termsFromBlob(row.terms as Uint8Array));
    }
    const rows = db
      .prepare(`SELECT trace_id, start_ns / 1e6 AS start_ms, duration_ns / 1e6 AS duration_ms,
        error_count, segments FROM traces`)
      .iterate();
    for (const row of rows) {
      const segments = parseSegments(String(row.segments));
      const terms = segments.map((segment) => chunks.get(segment.first) ?? new Float64Array(0));
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

function hasAll(traceTerms: Float64Array, terms: number[]): boolean {
  for (const term of terms) if (!traceTerms.includes(term)) return false;
  return true;
}

/**
 * `existing` and `added` as one array without duplicates. Terms stay unsorted: a trace has a
 * few dozen, where a linear scan beats a binary search and sorting small typed arrays is slow.
 */
export function mergeTerms(existing: Float64Array | undefined, added: number[]): Float64Array {
  const out = new Float64Array((existing?.length ?? 0) + added.length);
  let count = 0;
  if (existing) {
    out.set(existing);
    count = existing.length;
  }
  // Past a few dozen terms a set is cheaper than scanning for each new one.
  const seen = out.length > 64 ? new Set<number>(existing) : undefined;
  for (const term of added) {
    if (seen) {
      if (seen.has(term)) continue;
      seen.add(term);
    } else if (includes(out, count, term)) {
      continue;
    }
    out[count++] = term;
  }
  return count === out.length ? out : out.slice(0, count);
}

function includes(terms: Float64Array, count: number, term: number): boolean {
  for (let i = 0; i < count; i++) if (terms[i] === term) return true;
  return false;
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
