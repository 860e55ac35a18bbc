import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { PackedList } from '../format/packed-value.ts';
import type { SpanRecord } from '../records.ts';
import { parseSegments } from './segments.ts';

/** What the ingest-time summaries need of a span: its place in the tree, service and route. */
export interface SpanSkeleton {
  spanId: string;
  parentSpanId: string;
  service: string;
  kind: number;
  error: boolean;
  /** `http.route`, or empty. */
  route: string;
  /** Minutes since the epoch at its start. */
  minute: number;
}

const statusError = 2;
/** Minutes since the epoch at `ns` (a double's rounding only matters within 256 ns of a minute). */
export function minuteOf(ns: bigint): number {
  return Math.floor(Number(ns) / 60e9);
}

/** The skeleton of a span about to be stored. */
export function skeletonOf(span: SpanRecord): SpanSkeleton {
  return {
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    service: span.resource.service,
    kind: span.kind,
    error: span.statusCode === statusError,
    route: span.route,
    minute: minuteOf(span.startNs),
  };
}

// Spans of recently written traces kept for their next batch; older traces are read back.
const maxCachedSpans = 50_000;

/**
 * The spans already stored for a trace, for joining a new batch to them: a child whose parent
 * came earlier (the service map), an error whose local root arrives later (its route). Recent
 * traces come from a cache, others from their rowid ranges.
 */
export class TraceSkeletons {
  readonly #cache = new Map<string, SpanSkeleton[]>();
  readonly #select: StatementSync;
  #cachedSpans = 0;

  constructor(db: DatabaseSync) {
    this.#select = db.prepare(`SELECT span_id, parent_span_id, service, kind, status_code,
      start_ns / 60000000000 AS minute, attributes FROM spans WHERE id BETWEEN ? AND ?`);
  }

  /** The stored spans of a trace with rowid ranges `segments`. */
  get(traceId: string, segments: () => string | undefined): SpanSkeleton[] {
    const cached = this.#cache.get(traceId);
    if (cached) return cached;
    const text = segments();
    if (!text) return [];
    const spans: SpanSkeleton[] = [];
    for (const segment of parseSegments(text)) {
      for (const row of this.#select.iterate(segment.first, segment.last)) {
        spans.push({
          spanId: String(row.span_id),
          parentSpanId: String(row.parent_span_id),
          service: String(row.service),
          kind: Number(row.kind),
          error: Number(row.status_code) === statusError,
          route: routeOf(String(row.attributes)),
          minute: Number(row.minute),
        });
      }
    }
    return spans;
  }

  /** Remembers the spans of a trace after a write. */
  set(traceId: string, spans: SpanSkeleton[]): void {
    const previous = this.#cache.get(traceId);
    if (previous) {
      this.#cache.delete(traceId);
      this.#cachedSpans -= previous.length;
    }
    if (spans.length > maxCachedSpans / 10) return;
    this.#cache.set(traceId, spans);
    this.#cachedSpans += spans.length;
    for (const [oldest, kept] of this.#cache) {
      if (this.#cachedSpans <= maxCachedSpans) break;
      this.#cache.delete(oldest);
      this.#cachedSpans -= kept.length;
    }
  }

  /** Forgets the spans of one trace. */
  delete(traceId: string): void {
    const previous = this.#cache.get(traceId);
    if (!previous) return;
    this.#cache.delete(traceId);
    this.#cachedSpans -= previous.length;
  }

  /** Forgets everything (after a rollback). */
  clear(): void {
    this.#cache.clear();
    this.#cachedSpans = 0;
  }
}

function routeOf(attributes: string): string {
  if (!attributes.includes('"http.route"')) return '';
  const list = JSON.parse(attributes) as PackedList;
  for (let i = 0; i + 1 < list.length; i += 2) {
    if (list[i] === 'http.route' && typeof list[i + 1] === 'string') return list[i + 1] as string;
  }
  return '';
}
