import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { OriginReader } from './origin-reader.ts';
import { parseSegments } from './segments.ts';
import { type SpanRow, type SpanView, toSpanView } from './span-view.ts';
import { type TraceFilter, TraceList, type TraceSummary } from './trace-list.ts';

export type { TraceFilter, TraceSummary };

const spanColumns = `trace_id, span_id, parent_span_id, name, kind, CAST(start_ns AS TEXT) AS start,
  CAST(end_ns AS TEXT) AS end, status_code, status_message, trace_state, flags, service,
  resource_id, scope_id, attributes, events, links, dropped_attributes, dropped_events,
  dropped_links`;

/** The trace list and single-trace queries. */
export class TraceQueries {
  readonly #origins: OriginReader;
  readonly #segmentsOf: StatementSync;
  readonly #spansIn: StatementSync;
  readonly #list: TraceList;

  constructor(db: DatabaseSync) {
    this.#origins = new OriginReader(db);
    this.#segmentsOf = db.prepare('SELECT segments FROM traces WHERE trace_id = ?');
    this.#spansIn = db.prepare(`SELECT ${spanColumns} FROM spans WHERE id BETWEEN ? AND ?`);
    this.#list = new TraceList(db);
  }

  /** Lists traces matching `filter` (see {@link TraceFilter}). */
  list(filter: TraceFilter): TraceSummary[] {
    return this.#list.find(filter);
  }

  /** The spans of one trace, oldest first; empty when the trace is unknown. */
  get(traceId: string): SpanView[] {
    const row = this.#segmentsOf.get(traceId);
    if (!row) return [];
    const rows: SpanRow[] = [];
    for (const segment of parseSegments(String(row.segments))) {
      for (const span of this.#spansIn.all(segment.first, segment.last) as SpanRow[]) {
        // Defensive: a segment only ever holds spans of its own trace.
        if (span.trace_id === traceId) rows.push(span);
      }
    }
    rows.sort((a, b) => compareStart(a, b));
    return rows.map((span) => toSpanView(span, this.#origins));
  }
}

function compareStart(a: SpanRow, b: SpanRow): number {
  const diff = BigInt(a.start as string) - BigInt(b.start as string);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}
