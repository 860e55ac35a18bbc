import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SpanRecord } from '../records.ts';
import type { OriginIds } from './origin-ids.ts';

const statusError = 2;

/** Writes spans, one contiguous rowid range per trace, and folds them into the trace summaries. */
export class SpanWriter {
  readonly #origins: OriginIds;
  readonly #insertSpan: StatementSync;
  readonly #upsertTrace: StatementSync;
  readonly #insertService: StatementSync;

  constructor(db: DatabaseSync, origins: OriginIds) {
    this.#origins = origins;
    this.#insertSpan = db.prepare(`INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind,
      start_ns, end_ns, status_code, status_message, trace_state, flags, service, resource_id,
      scope_id, attributes, events, links, dropped_attributes, dropped_events, dropped_links)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // In an upsert's SET clause bare column names are the old values, so each line sees the
    // summary as it was before this batch.
    this.#upsertTrace = db.prepare(`INSERT INTO traces (trace_id, start_ns, end_ns, duration_ns,
      span_count, error_count, root_service, root_name, has_root, first_id, segments)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
        segments = segments || ' ' || excluded.segments`);
    this.#insertService = db.prepare(
      'INSERT OR IGNORE INTO trace_services (service, start_ns, trace_id) VALUES (?, ?, ?)',
    );
  }

  /** Inserts `spans` inside the caller's transaction. */
  write(spans: readonly SpanRecord[]): void {
    for (const trace of groupByTrace(spans)) this.#writeTrace(trace);
  }

  #writeTrace(spans: SpanRecord[]): void {
    const first = spans[0]!;
    let firstId = 0;
    let lastId = 0;
    let startNs = first.startNs;
    let endNs = first.endNs;
    let errors = 0;
    // The name shown for a trace is its root span's or, until the root arrives, its earliest span's.
    let named = first;
    const services = new Map<string, bigint>();
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
      const seen = services.get(service);
      if (seen === undefined || span.startNs < seen) services.set(service, span.startNs);
    }
    this.#upsertTrace.run(
      first.traceId,
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
    );
    for (const [service, serviceStartNs] of services) {
      this.#insertService.run(service, serviceStartNs, first.traceId);
    }
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
