import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { mergeSegments, parseSegments, type Segment } from './segments.ts';

/** How much telemetry the store keeps. */
export interface RetentionLimits {
  /** Spans kept; the oldest traces go first. Logs and metric points are capped at the same count. */
  maxSpans: number;
  /** Age past which traces, logs and metric points are removed, in milliseconds. */
  maxAgeMs: number;
}

// Small steps keep each transaction short, so ingest waits at most one step.
const tracesPerStep = 500;
const rowsPerStep = 5_000;

/**
 * Removes telemetry beyond the limits, one short transaction per {@link Retention.step}. Spans are
 * removed a whole trace at a time so that a trace is never shown half-deleted.
 */
export class Retention {
  readonly #db: DatabaseSync;
  readonly #limits: RetentionLimits;
  readonly #oldestByArrival: StatementSync;
  readonly #olderThan: StatementSync;
  readonly #deleteSpans: StatementSync;
  readonly #deleteTrace: StatementSync;
  readonly #services: StatementSync;
  readonly #trimServices: StatementSync;
  readonly #trimLogs: StatementSync;
  readonly #trimPoints: StatementSync;
  /** Spans stored, kept up to date by the store. */
  spanCount: number;
  // Once over the limit, trim 1% below it: retention then runs in a few larger steps now and
  // then instead of a small one after every batch.
  #trimming = false;

  constructor(db: DatabaseSync, limits: RetentionLimits) {
    this.#db = db;
    this.#limits = limits;
    this.#oldestByArrival = db.prepare(
      'SELECT trace_id, span_count, segments FROM traces ORDER BY first_id LIMIT ?',
    );
    this.#olderThan = db.prepare(
      'SELECT trace_id, span_count, segments FROM traces WHERE start_ns < ? ORDER BY start_ns LIMIT ?',
    );
    this.#deleteSpans = db.prepare('DELETE FROM spans WHERE id BETWEEN ? AND ?');
    this.#deleteTrace = db.prepare('DELETE FROM traces WHERE trace_id = ?');
    this.#services = db.prepare("SELECT DISTINCT service FROM origins WHERE service != ''");
    // Entries older than the oldest trace left belong to removed traces; the few removed traces
    // that started later keep theirs until then, and the trace list skips them.
    this.#trimServices = db.prepare(`DELETE FROM trace_services WHERE service = ?
      AND start_ns < (SELECT coalesce(min(start_ns), 9223372036854775807) FROM traces)`);
    this.#trimLogs = db.prepare(trimRowsSql('logs', 'max(time_ns, observed_time_ns)'));
    this.#trimPoints = db.prepare(trimRowsSql('metric_points', 'time_ns'));
    const row = db.prepare('SELECT coalesce(sum(span_count), 0) AS n FROM traces').get();
    this.spanCount = Number(row?.n ?? 0);
  }

  /** Removes one chunk of expired telemetry; returns true when more remains to remove. */
  step(nowMs = Date.now()): boolean {
    const cutoffNs = BigInt(Math.max(0, Math.floor(nowMs - this.#limits.maxAgeMs))) * 1_000_000n;
    this.#db.exec('BEGIN');
    try {
      const tracesLeft = this.#trimTraces(cutoffNs);
      const logsLeft = this.#trimLogs.run(cutoffNs, this.#limits.maxSpans, rowsPerStep).changes;
      const pointsLeft = this.#trimPoints.run(cutoffNs, this.#limits.maxSpans, rowsPerStep).changes;
      this.#db.exec('COMMIT');
      return tracesLeft || Number(logsLeft) > 0 || Number(pointsLeft) > 0;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  #trimTraces(cutoffNs: bigint): boolean {
    const target = this.#limits.maxSpans - Math.floor(this.#limits.maxSpans / 100);
    if (this.spanCount > this.#limits.maxSpans) this.#trimming = true;
    if (this.spanCount <= target) this.#trimming = false;
    const excess = this.#trimming ? this.spanCount - target : 0;
    const candidates = (
      excess > 0
        ? this.#oldestByArrival.all(tracesPerStep)
        : this.#olderThan.all(cutoffNs, tracesPerStep)
    ) as { trace_id: string; span_count: number; segments: string }[];
    let removed = 0;
    const segments: Segment[] = [];
    for (const trace of candidates) {
      if (excess > 0 && removed >= Math.min(excess, rowsPerStep)) break;
      segments.push(...parseSegments(trace.segments));
      this.#deleteTrace.run(trace.trace_id);
      removed += trace.span_count;
    }
    // The spans of traces that arrived together are neighbours: a few range deletes remove them.
    for (const range of mergeSegments(segments)) this.#deleteSpans.run(range.first, range.last);
    if (removed > 0) {
      for (const row of this.#services.all()) this.#trimServices.run(row.service as string);
    }
    this.spanCount -= removed;
    if (this.spanCount <= target) this.#trimming = false;
    return removed > 0 && (this.#trimming || candidates.length === tracesPerStep);
  }
}

// Append-only tables: rowids follow arrival, so the oldest rows are the lowest ids. One step
// removes, among the next `?3` ids, those past the age cutoff `?1` or beyond the count cap `?2`.
function trimRowsSql(table: string, timeExpression: string): string {
  return `DELETE FROM ${table} WHERE id < (SELECT min(id) FROM ${table}) + ?3
    AND (${timeExpression} < ?1 OR id <= (SELECT max(id) FROM ${table}) - ?2)`;
}
