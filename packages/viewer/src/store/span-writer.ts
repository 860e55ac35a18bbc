import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { operationTerm, serviceTerm } from '../format/search-term.ts';
import type { SpanRecord } from '../records.ts';
import type { OriginIds } from './origin-ids.ts';
import { rootTarget } from './root-target.ts';
import { type SpanTree, skeletonOf, TraceSkeletons } from './span-skeleton.ts';
import { TraceFolds } from './trace-folds.ts';
import { type IndexedTrace, mergeTerms, type TraceIndex, termsToBlob } from './trace-index.ts';

const statusError = 2;
// Spans from which a trace is large enough to keep in memory while it is written.
const largeTrace = 1000;

/**
 * Writes spans, one contiguous rowid range per trace, and folds them into the trace summaries,
 * the trace index, the error groups, the service map and the RED minutes.
 */
export class SpanWriter {
  readonly #origins: OriginIds;
  readonly #index: TraceIndex;
  readonly #insertSpan: StatementSync;
  readonly #upsertTrace: StatementSync;
  readonly #mergeTrace: StatementSync;
  readonly #insertOperation: StatementSync;
  readonly #segmentsOf: StatementSync;
  readonly #insertTerms: StatementSync;
  readonly #skeletons: TraceSkeletons;
  readonly #folds: TraceFolds;
  // The search terms of each (service, span name) seen, which are also in `operations`.
  readonly #operations = new Map<string, Map<string, [number, number]>>();
  #operationCount = 0;
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
    const upsert = `INSERT INTO traces (trace_id, start_ns, end_ns, duration_ns,
      span_count, error_count, root_service, root_name, has_root, root_target, sampling_reason,
      first_id, segments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
        root_target = CASE WHEN root_target = '' THEN excluded.root_target ELSE root_target END,
        sampling_reason = CASE WHEN excluded.sampling_reason != '' THEN excluded.sampling_reason
          ELSE sampling_reason END,
        segments = segments || ' ' || excluded.segments`;
    this.#upsertTrace = db.prepare(upsert);
    // A trace seen before gets back its merged summary; a new one's is known already.
    this.#mergeTrace = db.prepare(`${upsert}
      RETURNING start_ns / 1e6 AS start_ms, duration_ns / 1e6 AS duration_ms, error_count,
        has_root`);
    this.#insertOperation = db.prepare(
      'INSERT OR IGNORE INTO operations (service, name) VALUES (?, ?)',
    );
    this.#segmentsOf = db.prepare('SELECT segments FROM traces WHERE trace_id = ?');
    this.#insertTerms = db.prepare('INSERT INTO trace_terms (id, terms) VALUES (?, ?)');
    this.#skeletons = new TraceSkeletons(db);
    this.#folds = new TraceFolds(db);
  }

  /**
   * Inserts `spans` inside the caller's transaction and returns how many were new: a span whose
   * trace already holds its span id (an exporter retrying) is dropped, the first copy kept.
   */
  write(spans: readonly SpanRecord[]): number {
    let written = 0;
    for (const trace of groupByTrace(spans)) written += this.#writeTrace(trace);
    this.#folds.flush();
    return written;
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
    this.#folds.clear();
    this.#operations.clear();
    this.#operationCount = 0;
  }

  #writeTrace(batch: SpanRecord[]): number {
    const traceId = batch[0]!.traceId;
    const existing = this.#uncommitted.get(traceId) ?? this.#index.get(traceId);
    const tree = this.#skeletons.get(traceId, () =>
      existing ? (this.#segmentsOf.get(traceId)?.segments as string) : undefined,
    );
    const spans = withoutCopies(batch, tree);
    if (spans.length === 0) {
      if (tree.size > 0) this.#skeletons.set(traceId, tree);
      return 0;
    }
    const first = spans[0]!;
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
      for (const term of span.terms) terms.push(term);
      const [anyService, ofService] = this.#operationTerms(service, span.name);
      terms.push(anyService, ofService);
      if (!resources.has(span.resource.json)) {
        resources.add(span.resource.json);
        terms.push(serviceTerm(service));
        for (const term of span.resource.terms) terms.push(term);
      }
    }
    const added = mergeTerms(undefined, terms);
    this.#insertTerms.run(firstId, termsToBlob(added));
    const values = [
      traceId,
      startNs,
      endNs,
      endNs - startNs,
      spans.length,
      errors,
      named.resource.service,
      named.name,
      named.parentSpanId === '' ? 1 : 0,
      rootTarget(spans, tree),
      named.parentSpanId === '' ? named.samplingReason : '',
      firstId,
      `${firstId}-${lastId}`,
    ] as const;
    let summary: { startMs: number; durationMs: number; errors: number; rooted: boolean };
    if (existing) {
      const row = this.#mergeTrace.get(...values)!;
      summary = {
        startMs: Number(row.start_ms),
        durationMs: Number(row.duration_ms),
        errors: Number(row.error_count),
        rooted: row.has_root === 1,
      };
    } else {
      this.#upsertTrace.run(...values);
      summary = {
        startMs: Number(startNs) / 1e6,
        durationMs: Number(endNs - startNs) / 1e6,
        errors,
        rooted: named.parentSpanId === '',
      };
    }
    this.#uncommitted.set(traceId, {
      traceId,
      startMs: summary.startMs,
      durationMs: summary.durationMs,
      errors: summary.errors,
      terms: existing ? mergeTerms(existing.terms, terms) : added,
    });
    const joined = this.#folds.fold(spans, tree);
    // Spans arriving after the root are rare (the root ends last): a trace still waiting for
    // its root keeps its spans at hand, and so does a large one, which a request sends in
    // slices (reading it back for each would cost ever more); a late span of another reads the
    // trace back.
    if (summary.rooted && tree.size + (joined ? 0 : spans.length) < largeTrace) {
      this.#skeletons.delete(traceId);
    } else {
      this.#skeletons.set(traceId, joined ? tree : withSpans(tree, spans));
    }
    return spans.length;
  }

  // The first time a (service, span name) is seen it is also recorded in `operations`.
  #operationTerms(service: string, name: string): [number, number] {
    let names = this.#operations.get(service);
    if (!names) {
      names = new Map();
      this.#operations.set(service, names);
    }
    let terms = names.get(name);
    if (!terms) {
      if (this.#operationCount >= 10_000) {
        this.#operations.clear();
        this.#operationCount = 0;
        this.#operations.set(service, names);
      }
      terms = [operationTerm(name), operationTerm(name, service)];
      names.set(name, terms);
      this.#operationCount++;
      this.#insertOperation.run(service, name);
    }
    return terms;
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

function withSpans(tree: SpanTree, spans: readonly SpanRecord[]): SpanTree {
  tree.add(spans.map(skeletonOf));
  return tree;
}

// The spans of a batch whose span id is neither earlier in the batch nor among the trace's
// stored spans. Most batches hold a few spans of each new trace: they are compared pairwise.
function withoutCopies(spans: SpanRecord[], previous: SpanTree): SpanRecord[] {
  if (previous.size === 0 && spans.length <= 16) {
    let unique = true;
    for (let i = 1; i < spans.length && unique; i++) {
      for (let j = 0; j < i; j++) {
        if (spans[i]!.spanId === spans[j]!.spanId) {
          unique = false;
          break;
        }
      }
    }
    if (unique) return spans;
  }
  const seen = new Set<string>();
  return spans.filter((span) => {
    if (seen.has(span.spanId) || previous.has(span.spanId)) return false;
    seen.add(span.spanId);
    return true;
  });
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
