import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { parseSegments } from './segments.ts';

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

const summaryColumns = `t.trace_id AS traceId, t.root_service AS rootService,
  t.root_name AS rootName, t.has_root AS hasRoot, CAST(t.start_ns AS TEXT) AS startTimeUnixNano,
  CAST(t.end_ns AS TEXT) AS endTimeUnixNano, t.duration_ns / 1e6 AS durationMs,
  t.span_count AS spanCount, t.error_count AS errorCount, t.segments`;

// Below this many traces as long as `minDurationMs`, sorting them beats walking every trace.
const sparseDurationMatches = 2_000;

type Row = Record<string, SQLInputValue>;

/**
 * Finds traces by walking an index in the requested order and stopping at `limit`: the newest
 * traces of a service through `trace_services`, otherwise `traces` by start or duration.
 * Conditions on spans (service, operation) are checked on the candidates' rowid ranges.
 */
export class TraceList {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  find(filter: TraceFilter): TraceSummary[] {
    const found: TraceSummary[] = [];
    const seen = new Set<string>();
    const spanCheck = this.#spanCheck(filter);
    for (const row of this.#candidates(filter)) {
      const traceId = row.traceId as string;
      if (seen.has(traceId)) continue;
      seen.add(traceId);
      if (spanCheck && !spanCheck(String(row.segments))) continue;
      const { segments: _, ...summary } = row;
      found.push({ ...summary, hasRoot: row.hasRoot === 1 } as unknown as TraceSummary);
      if (found.length >= filter.limit) break;
    }
    return found;
  }

  #candidates(filter: TraceFilter): Iterable<Row> {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (filter.sinceMs !== undefined) {
      where.push('t.start_ns >= ?');
      params.push(BigInt(Math.floor(filter.sinceMs)) * 1_000_000n);
    }
    if (filter.errorsOnly) where.push('t.error_count > 0');
    if (filter.minDurationMs !== undefined) {
      where.push('t.duration_ns >= ?');
      params.push(Math.round(filter.minDurationMs * 1e6));
    }
    const conditions = where.map((c) => ` AND ${c}`).join('');
    if (filter.service !== undefined && filter.sort === 'recent') {
      // A service's spans start no earlier than their trace, so `since` also bounds the index
      // range. Entries of removed traces find no `traces` row and drop out of the join.
      const since = filter.sinceMs === undefined ? '' : ' AND s.start_ns >= ?';
      const sql = `SELECT ${summaryColumns} FROM trace_services s
        JOIN traces t ON t.trace_id = s.trace_id
        WHERE s.service = ?${since}${conditions} ORDER BY s.start_ns DESC`;
      const sinceParam = params.slice(0, filter.sinceMs === undefined ? 0 : 1);
      return this.#prepare(sql).iterate(filter.service, ...sinceParam, ...params) as Iterable<Row>;
    }
    const order = filter.sort === 'slowest' ? 't.duration_ns DESC' : 't.start_ns DESC';
    const sql = `SELECT ${summaryColumns} FROM traces t INDEXED BY ${this.#index(filter)}
      WHERE 1${conditions} ORDER BY ${order}`;
    return this.#prepare(sql).iterate(...params) as Iterable<Row>;
  }

  // SQLite has no statistics on durations, so it cannot tell a rare threshold from a common one;
  // counting up to a bound on the duration index can.
  #index(filter: TraceFilter): string {
    if (filter.sort === 'slowest') return 'traces_by_duration';
    if (filter.minDurationMs !== undefined) {
      const count = this.#prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM traces
        WHERE duration_ns >= ? LIMIT ${sparseDurationMatches})`).get(
        Math.round(filter.minDurationMs * 1e6),
      );
      if (Number(count?.n) < sparseDurationMatches) return 'traces_by_duration';
    }
    return filter.errorsOnly ? 'traces_with_errors' : 'traces_by_start';
  }

  #spanCheck(filter: TraceFilter): ((segments: string) => boolean) | undefined {
    const { operation, service } = filter;
    // With sort=recent and no operation, `trace_services` has matched the service already.
    const checkService =
      service !== undefined && (filter.sort === 'slowest' || operation !== undefined);
    if (operation === undefined && !checkService) return undefined;
    const conditions: string[] = [];
    const params: string[] = [];
    if (operation !== undefined) {
      conditions.push('name = ?');
      params.push(operation);
    }
    if (checkService) {
      conditions.push('service = ?');
      params.push(service);
    }
    const statement = this.#prepare(
      `SELECT 1 FROM spans WHERE id BETWEEN ? AND ? AND ${conditions.join(' AND ')} LIMIT 1`,
    );
    return (segments) =>
      parseSegments(segments).some(
        (segment) => statement.get(segment.first, segment.last, ...params) !== undefined,
      );
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
