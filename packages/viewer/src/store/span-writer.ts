import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { operationTerm, serviceTerm } from '../format/search-term.ts';
import type { SpanRecord } from '../records.ts';
import { EdgeWriter } from './edge-writer.ts';
import { ErrorWriter } from './error-writer.ts';
import type { OriginIds } from './origin-ids.ts';
import { RedWriter } from './red-writer.ts';
import { minuteOf, type SpanSkeleton, skeletonOf, TraceSkeletons } from './span-skeleton.ts';
import { type IndexedTrace, mergeTerms, type TraceIndex, termsToBlob } from './trace-index.ts';

const statusError = 2;
const server = 2;

/**
 * Writes spans, one contiguous rowid range per trace, and folds them into the trace summaries,
 * the trace index, the error groups, the service map and the RED minutes.
 */
export class SpanWriter {
  readonly #origins: OriginIds;
  readonly #index: TraceIndex;
  readonly #insertSpan: StatementSync;
  readonly #upsertTrace: StatementSync;
  readonly #insertOperation: StatementSync;
  readonly #segmentsOf: StatementSync;
  readonly #skeletons: TraceSkeletons;
  readonly #errors: ErrorWriter;
  readonly #edges: EdgeWriter;
  readonly #red: RedWriter;
  readonly #knownOperations = new Set<string>();
  // Index entries become visible once their transaction commits.
  readonly #uncommitted = new Map<string, IndexedTrace>();

  constructor(db: DatabaseSync, origins: OriginIds, index: TraceIndex) {
    this.#origins = origins;
    this.#index = index;
    this.#insertSpan = db.prepare(`INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind,
      start_ns, end_ns, status_code, status_message, trace_state, flags, service, resource_id,
      scope_id, attributes, events, links, dropped_attributes, dropped_events, dropped_links)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // In an upsert's SET clause bare column names are the old values, so each line sees the
    // summary as it was before this batch.
    this.#upsertTrace = db.prepare(`INSERT INTO traces (trace_id, start_ns, end_ns, duration_ns,
      span_count, error_count, root_service, root_name, has_root, first_id, segments, terms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (trace_id) DO UPDATE SET
        start_ns = min(start_ns, excluded.start_ns),
        end_ns = max(end_ns, excluded.end_ns),
        duration_ns = max(end_ns, excluded.end_ns) - min(start_ns, excluded.start_ns),
        span_count = span_count + excluded.span_count,
        error_count = error_count + excluded.error_count,
        root_service = CASE WHEN has_root = 0 AND (excluded.has_root = 1 OR excluded.start_ns < start_ns)
          THEN excluded.root_service ELSE root_service END,
        root_name = CASE WHEN has_root = 0 AND (excluded.has_root = 1 OR excluded.start_ns < start_ns)
          THEN excluded.root_name ELSE root_name END,
        has_root = max(has_root, excluded.has_root),
        segments = segments || ' ' || excluded.segments,
        terms = excluded.terms
      RETURNING start_ns / 1e6 AS start_ms, duration_ns / 1e6 AS duration_ms, error_count`);
    this.#insertOperation = db.prepare(
      'INSERT OR IGNORE INTO operations (service, name) VALUES (?, ?)',
    );
    this.#segmentsOf = db.prepare('SELECT segments FROM traces WHERE trace_id = ?');
    this.#skeletons = new TraceSkeletons(db);
    this.#errors = new ErrorWriter(db);
    this.#edges = new EdgeWriter(db);
    this.#red = new RedWriter(db);
  }

  /** Inserts `spans` inside the caller's transaction. */
  write(spans: readonly SpanRecord[]): void {
    for (const trace of groupByTrace(spans)) this.#writeTrace(trace);
    this.#edges.flush();
    this.#red.flush();
  }

  /** Makes the traces written in the committed transaction searchable. */
  committed(): void {
    for (const trace of this.#uncommitted.values()) this.#index.set(trace);
    this.#uncommitted.clear();
  }

  /** Forgets what the rolled-back transaction wrote. */
  rolledBack(): void {
    this.#uncommitted.clear();
    this.#skeletons.clear();
    this.#edges.clear();
    this.#red.clear();
    this.#knownOperations.clear();
  }

  #writeTrace(spans: SpanRecord[]): void {
    const first = spans[0]!;
    const traceId = first.traceId;
    const existing = this.#uncommitted.get(traceId) ?? this.#index.get(traceId);
    const previous = existing
      ? this.#skeletons.get(traceId, () => this.#segmentsOf.get(traceId)?.segments as string)
      : [];
    let firstId = 0;
    let lastId = 0;
    let startNs = first.startNs;
    let endNs = first.endNs;
    let errors = 0;
    // The name shown for a trace is its root span's or, until the root arrives, its earliest span's.
    let named = first;
    const terms: number[] = [];
    const resources = new Set<string>();
    for (const span of spans) {
      lastId = Number(this.#insertRow(span));
      if (firstId === 0) firstId = lastId;
      if (span.startNs < startNs) startNs = span.startNs;
      if (span.endNs > endNs) endNs = span.endNs;
      if (span.statusCode === statusError) errors++;
      if (named.parentSpanId !== '' && (span.parentSpanId === '' || span.startNs < named.startNs)) {
        named = span;
      }
      const service = span.resource.service;
      terms.push(...span.terms, operationTerm(span.name), operationTerm(span.name, service));
      if (!resources.has(span.resource.json)) {
        resources.add(span.resource.json);
        terms.push(serviceTerm(service), ...span.resource.terms);
      }
      this.#addOperation(service, span.name);
    }
    const merged = mergeTerms(existing?.terms, terms);
    const row = this.#upsertTrace.get(
      traceId,
      startNs,
      endNs,
      endNs - startNs,
      spans.length,
      errors,
      named.resource.service,
      named.name,
      named.parentSpanId === '' ? 1 : 0,
      firstId,
      `${firstId}-${lastId}`,
      termsToBlob(merged),
    )!;
    this.#uncommitted.set(traceId, {
      traceId,
      startMs: Number(row.start_ms),
      durationMs: Number(row.duration_ms),
      errors: Number(row.error_count),
      terms: merged,
    });
    this.#summarize(spans, previous);
  }

  // Calls between services, server requests and errors, joined with the trace's earlier spans.
  #summarize(spans: SpanRecord[], previous: SpanSkeleton[]): void {
    const fresh = spans.map(skeletonOf);
    const all = previous.length > 0 ? [...previous, ...fresh] : fresh;
    const byId = new Map(all.map((s) => [s.spanId, s]));
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i]!;
      const skeleton = fresh[i]!;
      const parent = byId.get(skeleton.parentSpanId);
      if (parent && parent.service !== skeleton.service) {
        this.#edges.add(skeleton.minute, parent.service, skeleton.service, skeleton.error);
      }
      if (span.kind === server) {
        const durationMs = Number(span.endNs - span.startNs) / 1e6;
        this.#red.add(
          skeleton.service,
          span.route || span.name,
          minuteOf(span.startNs),
          durationMs,
          skeleton.error,
        );
      }
      if (span.exception) {
        this.#errors.add(
          {
            traceId: span.traceId,
            spanId: span.spanId,
            service: skeleton.service,
            endNs: span.endNs,
            exception: span.exception,
          },
          skeleton,
          byId,
        );
      }
    }
    if (previous.length > 0) {
      const freshIds = new Set(fresh.map((s) => s.spanId));
      for (const child of previous) {
        if (!freshIds.has(child.parentSpanId)) continue;
        const parent = byId.get(child.parentSpanId)!;
        if (parent.service !== child.service) {
          this.#edges.add(child.minute, parent.service, child.service, child.error);
        }
      }
      this.#errors.resolvePending(spans[0]!.traceId, byId);
    }
    this.#skeletons.set(spans[0]!.traceId, all);
  }

  #addOperation(service: string, name: string): void {
    const key = `${service}\u0000${name}`;
    if (this.#knownOperations.has(key)) return;
    if (this.#knownOperations.size >= 10_000) this.#knownOperations.clear();
    this.#knownOperations.add(key);
    this.#insertOperation.run(service, name);
  }

  #insertRow(span: SpanRecord): number | bigint {
    return this.#insertSpan.run(
      span.traceId,
      span.spanId,
      span.parentSpanId,
      span.name,
      span.kind,
      span.startNs,
      span.endNs,
      span.statusCode,
      span.statusMessage,
      span.traceState,
      span.flags,
      span.resource.service,
      this.#origins.idOf(span.resource),
      this.#origins.idOf(span.scope),
      span.attributes,
      span.events,
      span.links,
      span.droppedAttributesCount,
      span.droppedEventsCount,
      span.droppedLinksCount,
    ).lastInsertRowid;
  }
}

function groupByTrace(spans: readonly SpanRecord[]): Iterable<SpanRecord[]> {
  const traces = new Map<string, SpanRecord[]>();
  for (const span of spans) {
    const group = traces.get(span.traceId);
    if (group) group.push(span);
    else traces.set(span.traceId, [span]);
  }
  return traces.values();
}
