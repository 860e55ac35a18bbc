import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { PackedList } from '../format/packed-value.ts';
import type { SpanRecord } from '../records.ts';
import { parseSegments } from './segments.ts';

/** What the ingest-time summaries need of a span: its place in the tree, service and route. */
export interface SpanSkeleton {
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
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
    name: span.name,
    kind: span.kind,
    error: span.statusCode === statusError,
    route: span.route,
    minute: minuteOf(span.startNs),
  };
}

/**
 * The spans of a trace by span id, kept as batches add to them: which spans still wait for
 * their parent, and which spans have a failed child.
 */
export class SpanTree {
  readonly byId = new Map<string, SpanSkeleton>();
  /** Spans whose parent has not arrived, by the parent's id. */
  readonly #waiting = new Map<string, SpanSkeleton[]>();
  /** The parents of the failed spans. */
  readonly failedParents = new Set<string>();

  get size(): number {
    return this.byId.size;
  }

  get(spanId: string): SpanSkeleton | undefined {
    return this.byId.get(spanId);
  }

  has(spanId: string): boolean {
    return this.byId.has(spanId);
  }

  /** Adds `spans`; returns the spans added earlier whose parent is among them. */
  add(spans: readonly SpanSkeleton[]): SpanSkeleton[] {
    for (const span of spans) {
      this.byId.set(span.spanId, span);
      if (span.error && span.parentSpanId) this.failedParents.add(span.parentSpanId);
    }
    const adopted: SpanSkeleton[] = [];
    if (this.#waiting.size > 0) {
      for (const span of spans) {
        const children = this.#waiting.get(span.spanId);
        if (!children) continue;
        adopted.push(...children);
        this.#waiting.delete(span.spanId);
      }
    }
    for (const span of spans) {
      if (!span.parentSpanId || this.byId.has(span.parentSpanId)) continue;
      const children = this.#waiting.get(span.parentSpanId);
      if (children) children.push(span);
      else this.#waiting.set(span.parentSpanId, [span]);
    }
    return adopted;
  }
}

// Spans of traces still waiting for their root, kept for their next batch; a trace past the
// whole budget, or whose root has arrived, is read back when more of it comes.
const maxCachedSpans = 200_000;

/**
 * The spans already stored for a trace, for joining a new batch to them: a copy sent again
 * (dropped), a child whose parent came earlier (the service map), an error whose local root or
 * failed child arrives later. Traces still open come from a cache that each batch extends, so a
 * large trace sent in many slices is never read back slice after slice; others come from their
 * rowid ranges.
 */
export class TraceSkeletons {
  readonly #cache = new Map<string, SpanTree>();
  readonly #select: StatementSync;
  #cachedSpans = 0;

  constructor(db: DatabaseSync) {
    this.#select = db.prepare(`SELECT span_id, parent_span_id, service, name, kind, status_code,
      start_ns / 60000000000 AS minute, attributes FROM spans WHERE id BETWEEN ? AND ?`);
  }

  /**
   * The stored spans of a trace with rowid ranges `segments` (an empty tree without them); the
   * caller adds the spans it writes and hands the tree back with {@link set}.
   */
  get(traceId: string, segments: () => string | undefined): SpanTree {
    const cached = this.#cache.get(traceId);
    if (cached) {
      // Taken out while the caller extends it: the budget counts it again when it comes back.
      this.#cache.delete(traceId);
      this.#cachedSpans -= cached.size;
      return cached;
    }
    const tree = new SpanTree();
    const text = segments();
    if (!text) return tree;
    const spans: SpanSkeleton[] = [];
    for (const segment of parseSegments(text)) {
      for (const row of this.#select.iterate(segment.first, segment.last)) {
        const spanId = String(row.span_id);
        spans.push({
          spanId,
          parentSpanId: String(row.parent_span_id),
          service: String(row.service),
          name: String(row.name),
          kind: Number(row.kind),
          error: Number(row.status_code) === statusError,
          route: routeOf(String(row.attributes)),
          minute: Number(row.minute),
        });
      }
    }
    tree.add(spans);
    return tree;
  }

  /** Remembers the spans of a trace after a write, the least recent traces making room. */
  set(traceId: string, spans: SpanTree): void {
    this.delete(traceId);
    if (spans.size > maxCachedSpans) return;
    this.#cache.set(traceId, spans);
    this.#cachedSpans += spans.size;
    for (const [oldest, kept] of this.#cache) {
      if (this.#cachedSpans <= maxCachedSpans) break;
      this.#cache.delete(oldest);
      this.#cachedSpans -= kept.size;
    }
  }

  /** Forgets the spans of one trace. */
  delete(traceId: string): void {
    const previous = this.#cache.get(traceId);
    if (!previous) return;
    this.#cache.delete(traceId);
    this.#cachedSpans -= previous.size;
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
