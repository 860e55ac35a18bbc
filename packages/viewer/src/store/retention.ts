import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { LogTextIndex } from './log-text-index.ts';
import { mergeSegments, parseSegments, type Segment } from './segments.ts';
import type { TraceIndex } from './trace-index.ts';

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
const never = 9223372036854775807n;

/**
 * Removes telemetry beyond the limits, one short transaction per {@link Retention.step}. Spans are
 * removed a whole trace at a time so that a trace is never shown half-deleted; the error events,
 * calls between services and RED minutes older than the oldest trace left go with them. Logs are
 * removed oldest id first, so that the log search can drop whole tables.
 */
export class Retention {
  readonly #db: DatabaseSync;
  readonly #limits: RetentionLimits;
  readonly #traceIndex: TraceIndex;
  readonly #logText: LogTextIndex;
  readonly #oldestByArrival: StatementSync;
  readonly #olderThan: StatementSync;
  readonly #deleteSpans: StatementSync;
  readonly #deleteTerms: StatementSync;
  readonly #deleteTrace: StatementSync;
  readonly #oldestStart: StatementSync;
  readonly #trimErrors: StatementSync;
  readonly #trimGroups: StatementSync;
  readonly #trimEdges: StatementSync;
  readonly #trimRed: StatementSync;
  readonly #logBounds: StatementSync;
  readonly #firstYoungLog: StatementSync;
  readonly #deleteLogs: StatementSync;
  readonly #trimPoints: StatementSync;
  /** Spans stored, kept up to date by the store. */
  spanCount: number;
  // Once over the limit, trim 1% below it: retention then runs in a few larger steps now and
  // then instead of a small one after every batch.
  #trimming = false;
  #summariesStale = true;

  constructor(
    db: DatabaseSync,
    limits: RetentionLimits,
    traceIndex: TraceIndex,
    logText: LogTextIndex,
  ) {
    this.#db = db;
    this.#limits = limits;
    this.#traceIndex = traceIndex;
    this.#logText = logText;
    this.#oldestByArrival = db.prepare(
      'SELECT trace_id, span_count, segments FROM traces ORDER BY first_id LIMIT ?',
    );
    this.#olderThan = db.prepare(
      'SELECT trace_id, span_count, segments FROM traces WHERE start_ns < ? ORDER BY start_ns LIMIT ?',
    );
    this.#deleteSpans = db.prepare('DELETE FROM spans WHERE id BETWEEN ? AND ?');
    this.#deleteTerms = db.prepare('DELETE FROM trace_terms WHERE id BETWEEN ? AND ?');
    this.#deleteTrace = db.prepare('DELETE FROM traces WHERE trace_id = ?');
    this.#oldestStart = db.prepare(
      `SELECT CAST(coalesce(min(start_ns), ${never}) AS TEXT) AS start_ns FROM traces`,
    );
    // Error events follow arrival like their spans: the oldest ids are the ones to go.
    this.#trimErrors = db.prepare(`DELETE FROM error_events
      WHERE id < (SELECT min(id) FROM error_events) + ${rowsPerStep} AND time_ns < ?`);
    this.#trimGroups = db.prepare(`DELETE FROM error_groups
      WHERE NOT EXISTS (SELECT 1 FROM error_events WHERE group_id = error_groups.id)`);
    this.#trimEdges = db.prepare('DELETE FROM edge_minutes WHERE minute < ?');
    this.#trimRed = db.prepare(`DELETE FROM red_buckets
      WHERE (width = 1 AND bucket < ?1) OR (width = 10 AND bucket < ?1 / 10)`);
    this.#logBounds = db.prepare('SELECT min(id) AS first, max(id) AS last FROM logs');
    this.#firstYoungLog = db.prepare(`SELECT id FROM logs NOT INDEXED
      WHERE id < ? AND ts_ns >= ? ORDER BY id LIMIT 1`);
    this.#deleteLogs = db.prepare('DELETE FROM logs WHERE id < ?');
    this.#trimPoints = db.prepare(trimRowsSql('metric_points', 'time_ns'));
    const row = db.prepare('SELECT coalesce(sum(span_count), 0) AS n FROM traces').get();
    this.spanCount = Number(row?.n ?? 0);
  }

  /** Removes one chunk of expired telemetry; returns true when more remains to remove. */
  step(nowMs = Date.now()): boolean {
    const cutoffNs = BigInt(Math.max(0, Math.floor(nowMs - this.#limits.maxAgeMs))) * 1_000_000n;
    const removedTraces: string[] = [];
    this.#db.exec('BEGIN');
    try {
      const tracesLeft = this.#trimTraces(cutoffNs, removedTraces);
      const summariesLeft = this.#trimSummaries(removedTraces.length > 0);
      const logsLeft = this.#trimLogs(cutoffNs);
      const pointsLeft = this.#trimPoints.run(cutoffNs, this.#limits.maxSpans, rowsPerStep).changes;
      this.#db.exec('COMMIT');
      for (const traceId of removedTraces) this.#traceIndex.delete(traceId);
      return tracesLeft || summariesLeft || logsLeft || Number(pointsLeft) > 0;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      this.#logText.reset();
      throw error;
    }
  }

  #trimTraces(cutoffNs: bigint, removedTraces: string[]): boolean {
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
      removedTraces.push(trace.trace_id);
      removed += trace.span_count;
    }
    // The spans of traces that arrived together are neighbours: a few range deletes remove them.
    // Their search terms are keyed by the first rowid of each segment: the same ranges hold them.
    for (const range of mergeSegments(segments)) {
      this.#deleteSpans.run(range.first, range.last);
      this.#deleteTerms.run(range.first, range.last);
    }
    this.spanCount -= removed;
    if (this.spanCount <= target) this.#trimming = false;
    return removed > 0 && (this.#trimming || candidates.length === tracesPerStep);
  }

  // What is older than the oldest trace left belongs to removed traces (the few removed traces
  // that started later keep theirs until then).
  #trimSummaries(tracesRemoved: boolean): boolean {
    if (!tracesRemoved && !this.#summariesStale) return false;
    const oldestNs = BigInt(this.#oldestStart.get()!.start_ns as string);
    const minute =
      oldestNs === never ? Number.MAX_SAFE_INTEGER : Number(oldestNs / 60_000_000_000n);
    this.#trimEdges.run(minute);
    this.#trimRed.run(minute);
    const errorsLeft = Number(this.#trimErrors.run(oldestNs).changes) >= rowsPerStep;
    this.#trimGroups.run();
    this.#summariesStale = errorsLeft;
    return errorsLeft;
  }

  // Removes a prefix of ids: records past their age up to the first one that is not, and any
  // beyond the count cap.
  #trimLogs(cutoffNs: bigint): boolean {
    const bounds = this.#logBounds.get();
    if (bounds?.first === null || bounds?.first === undefined) return false;
    const first = Number(bounds.first);
    const last = Number(bounds.last);
    const window = first + rowsPerStep;
    const young = this.#firstYoungLog.get(window, cutoffNs);
    const pastAge = young ? Number(young.id) : window;
    const pastCap = last - this.#limits.maxSpans + 1;
    const below = Math.min(Math.max(pastAge, pastCap), window);
    if (below <= first) return false;
    this.#deleteLogs.run(below);
    this.#logText.dropBelow(below);
    return below === window;
  }
}

// Append-only tables: rowids follow arrival, so the oldest rows are the lowest ids. One step
// removes, among the next `?3` ids, those past the age cutoff `?1` or beyond the count cap `?2`.
function trimRowsSql(table: string, timeExpression: string): string {
  return `DELETE FROM ${table} WHERE id < (SELECT min(id) FROM ${table}) + ?3
    AND (${timeExpression} < ?1 OR id <= (SELECT max(id) FROM ${table}) - ?2)`;
}
