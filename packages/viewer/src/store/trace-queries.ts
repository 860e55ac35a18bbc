import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { attributeTerm, operationTerm, serviceTerm } from '../format/search-term.ts';
import { OriginReader } from './origin-reader.ts';
import { parseSegments } from './segments.ts';
import { type SpanRow, type SpanView, toSpanView } from './span-view.ts';
import type { TraceIndex } from './trace-index.ts';

/** Which traces to list. Every condition is optional; a trace must meet all that are given. */
export interface TraceFilter {
  /** A span of the trace comes from this service. */
  service?: string;
  /** A span of the trace has this name (from `service`, when both are given). */
  operation?: string;
  /** Spans or resources of the trace carry every one of these `[key, value]` attributes. */
  attributes?: [string, string][];
  /** The trace has a span with status ERROR. */
  errorsOnly?: boolean;
  /** The trace lasts at least this long. */
  minDurationMs?: number;
  /** The trace lasts at most this long. */
  maxDurationMs?: number;
  /** The trace started at or after this time (ms since the epoch). */
  sinceMs?: number;
  /** The trace started at or before this time (ms since the epoch). */
  untilMs?: number;
  /** `recent` (newest first) or `slowest` (longest first). */
  sort: 'recent' | 'slowest';
  limit: number;
  /** Matching traces to skip before the first one listed. */
  offset?: number;
}

/** One row of the trace list. */
export interface TraceSummary {
  traceId: string;
  /** Service and name of the root span, or of the earliest span while the root is missing. */
  rootService: string;
  rootName: string;
  hasRoot: boolean;
  /**
   * For a root that is a client span (whose name is often just `GET`), what it called: its
   * `url.full`, else the name of the server span it reached; empty otherwise.
   */
  rootTarget: string;
  /** `otelkit.sampling.reason` of the root: why tail sampling kept the trace; empty if none. */
  samplingReason: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
}

/** A page of the trace list and how many traces match in all. */
export interface TracePage {
  traces: TraceSummary[];
  total: number;
  /**
   * The services that sample their traces (their local roots carry `otelkit.sampling.reason`):
   * the list holds only the traces they kept.
   */
  samplingServices: string[];
}

const spanColumns = `trace_id, span_id, parent_span_id, name, kind, CAST(start_ns AS TEXT) AS start,
  CAST(end_ns AS TEXT) AS end, status_code, status_message, trace_state, flags, service,
  resource_id, scope_id, attributes, events, links, dropped_attributes, dropped_events,
  dropped_links`;

/** The trace list and single-trace queries. */
export class TraceQueries {
  readonly #origins: OriginReader;
  readonly #index: TraceIndex;
  readonly #segmentsOf: StatementSync;
  readonly #spansIn: StatementSync;
  readonly #summary: StatementSync;
  readonly #samplers: StatementSync;

  constructor(db: DatabaseSync, index: TraceIndex) {
    this.#origins = new OriginReader(db);
    this.#index = index;
    this.#segmentsOf = db.prepare('SELECT segments FROM traces WHERE trace_id = ?');
    this.#spansIn = db.prepare(`SELECT ${spanColumns} FROM spans WHERE id BETWEEN ? AND ?`);
    this.#summary = db.prepare(`SELECT trace_id AS traceId, root_service AS rootService,
      root_name AS rootName, has_root AS hasRoot, root_target AS rootTarget,
      sampling_reason AS samplingReason, CAST(start_ns AS TEXT) AS startTimeUnixNano,
      CAST(end_ns AS TEXT) AS endTimeUnixNano, duration_ns / 1e6 AS durationMs,
      span_count AS spanCount, error_count AS errorCount FROM traces WHERE trace_id = ?`);
    this.#samplers = db.prepare('SELECT service FROM sampling_services ORDER BY service');
  }

  /** Lists traces matching `filter` (see {@link TraceFilter}) with their total. */
  list(filter: TraceFilter): TracePage {
    const terms: number[] = [];
    if (filter.service !== undefined) terms.push(serviceTerm(filter.service));
    if (filter.operation !== undefined) {
      terms.push(operationTerm(filter.operation, filter.service));
    }
    for (const [key, value] of filter.attributes ?? []) terms.push(attributeTerm(key, value));
    const { traceIds, total } = this.#index.search({
      terms,
      sinceMs: filter.sinceMs,
      untilMs: filter.untilMs,
      minDurationMs: filter.minDurationMs,
      maxDurationMs: filter.maxDurationMs,
      errorsOnly: filter.errorsOnly,
      sort: filter.sort,
      offset: filter.offset ?? 0,
      limit: filter.limit,
    });
    const traces: TraceSummary[] = [];
    for (const traceId of traceIds) {
      const summary = this.summary(traceId);
      if (summary) traces.push(summary);
    }
    const samplingServices = this.#samplers.all().map((row) => String(row.service));
    return { traces, total, samplingServices };
  }

  /** The list row of one trace; undefined when the trace is unknown. */
  summary(traceId: string): TraceSummary | undefined {
    const row = this.#summary.get(traceId);
    return row ? ({ ...row, hasRoot: row.hasRoot === 1 } as unknown as TraceSummary) : undefined;
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
