import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { OriginReader } from './origin-reader.ts';
import { type SpanRow, type SpanView, toSpanView } from './span-view.ts';

/** Which traces to list. Every condition is optional; a trace must meet all that are given. */
export interface TraceFilter {
  /** A span of the trace comes from this service. */
  service?: string;
  /** A span of the trace has this name (from `service`, when both are given). */
  operation?: string;
  /** The trace has a span with status ERROR. */
  errorsOnly?: boolean;
  /** The trace lasts at least this long. */
  minDurationMs?: number;
  /** The trace started at or after this time (ms since the epoch). */
  sinceMs?: number;
  /** `recent` (newest first) or `slowest` (longest first). */
  sort: 'recent' | 'slowest';
  limit: number;
}

/** One row of the trace list. */
export interface TraceSummary {
  traceId: string;
  /** Service and name of the root span, or of the earliest span while the root is missing. */
  rootService: string;
  rootName: string;
  hasRoot: boolean;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
}

const spanColumns = `s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind,
  CAST(s.start_ns AS TEXT) AS start, CAST(s.end_ns AS TEXT) AS end, s.status_code,
  s.status_message, s.trace_state, s.flags, s.service, s.resource_id, s.scope_id, s.attributes,
  s.events, s.links, s.dropped_attributes, s.dropped_events, s.dropped_links`;

/** The trace list and single-trace queries. */
export class TraceQueries {
  readonly #db: DatabaseSync;
  readonly #origins: OriginReader;
  readonly #statements = new Map<string, StatementSync>();
  readonly #spansOfTrace: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#origins = new OriginReader(db);
    this.#spansOfTrace = db.prepare(`SELECT ${spanColumns} FROM trace_segments g
      JOIN spans s ON s.id BETWEEN g.first_id AND g.last_id
      WHERE g.trace_id = ? ORDER BY s.start_ns, s.id`);
  }

  /** Lists traces matching `filter`, walking the trace summaries in index order. */
  list(filter: TraceFilter): TraceSummary[] {
    const where: string[] = [];
    const params: (string | number | bigint)[] = [];
    if (filter.sinceMs !== undefined) {
      where.push('t.start_ns >= ?');
      params.push(BigInt(Math.floor(filter.sinceMs)) * 1_000_000n);
    }
    if (filter.errorsOnly) where.push('t.error_count > 0');
    if (filter.minDurationMs !== undefined) {
      where.push('t.duration_ns >= ?');
      params.push(Math.round(filter.minDurationMs * 1e6));
    }
    if (filter.service !== undefined || filter.operation !== undefined) {
      const spanWhere: string[] = [];
      if (filter.service !== undefined) {
        spanWhere.push('s.service = ?');
        params.push(filter.service);
      }
      if (filter.operation !== undefined) {
        spanWhere.push('s.name = ?');
        params.push(filter.operation);
      }
      where.push(`EXISTS (SELECT 1 FROM trace_segments g
        JOIN spans s ON s.id BETWEEN g.first_id AND g.last_id
        WHERE g.trace_id = t.trace_id AND ${spanWhere.join(' AND ')})`);
    }
    const order = filter.sort === 'slowest' ? 't.duration_ns DESC' : 't.start_ns DESC';
    const sql = `SELECT t.trace_id AS traceId, t.root_service AS rootService,
      t.root_name AS rootName, t.has_root AS hasRoot,
      CAST(t.start_ns AS TEXT) AS startTimeUnixNano, CAST(t.end_ns AS TEXT) AS endTimeUnixNano,
      t.duration_ns / 1e6 AS durationMs, t.span_count AS spanCount, t.error_count AS errorCount
      FROM traces t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${order} LIMIT ?`;
    params.push(filter.limit);
    const rows = this.#prepare(sql).all(...params);
    return rows.map((row) => ({ ...row, hasRoot: row.hasRoot === 1 }) as unknown as TraceSummary);
  }

  /** The spans of one trace, oldest first; empty when the trace is unknown. */
  get(traceId: string): SpanView[] {
    const rows = this.#spansOfTrace.all(traceId) as SpanRow[];
    return rows.map((row) => toSpanView(row, this.#origins));
  }

  #prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
