import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import {
  type JsonAnyValue,
  type JsonKeyValue,
  type PackedList,
  type PackedValue,
  unpackList,
  unpackValue,
} from '../format/packed-value.ts';
import { LogTextIndex } from './log-text-index.ts';
import { LogWordSearch } from './log-word-search.ts';
import { OriginReader, type OriginView } from './origin-reader.ts';
import { parseSegments } from './segments.ts';
import { StatementCache } from './statement-cache.ts';

/** A log record as the API serves it (OTLP/JSON field names, hex ids). */
export interface LogView {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: JsonAnyValue;
  attributes: JsonKeyValue[];
  droppedAttributesCount: number;
  traceId: string;
  spanId: string;
  flags: number;
  eventName: string;
  service: string;
  resource: OriginView;
  scope: OriginView;
  /** The name of the span the record was written in, when that span is stored. */
  spanName?: string;
}

/** Which log records to list, newest first. Every condition is optional. */
export interface LogFilter {
  /** Words the body or an attribute (`key=value`) holds, in this order, case-insensitively. */
  q?: string;
  /** Lowest severity number (WARN is 13). */
  minSeverity?: number;
  service?: string;
  traceId?: string;
  /** Records at or after this time (ms since the epoch). */
  sinceMs?: number;
  /** Records at or before this time (ms since the epoch). */
  untilMs?: number;
  limit: number;
  offset: number;
}

const maxLogsPerTrace = 5_000;
const columns = `CAST(time_ns AS TEXT) AS time, CAST(observed_time_ns AS TEXT) AS observed,
  severity_number, severity_text, body, attributes, dropped_attributes, trace_id, span_id, flags,
  event_name, service, resource_id, scope_id`;

/** Queries over stored log records. */
export class LogQueries {
  readonly #origins: OriginReader;
  readonly #byTrace: StatementSync;
  readonly #segmentsOf: StatementSync;
  readonly #spanNames: StatementSync;
  readonly #statements: StatementCache;
  readonly #words: LogWordSearch;

  constructor(db: DatabaseSync, text: LogTextIndex) {
    this.#statements = new StatementCache(db);
    this.#origins = new OriginReader(db);
    // `trace_id != ''` lets SQLite use the partial index of correlated records.
    this.#byTrace = db.prepare(`SELECT ${columns} FROM logs WHERE trace_id = ? AND trace_id != ''
      ORDER BY max(time_ns, observed_time_ns), id LIMIT ?`);
    this.#segmentsOf = db.prepare('SELECT segments FROM traces WHERE trace_id = ?');
    this.#spanNames = db.prepare('SELECT span_id, name FROM spans WHERE id BETWEEN ? AND ?');
    this.#words = new LogWordSearch(db, text, columns);
  }

  /** The log records correlated with a trace, oldest first. */
  ofTrace(traceId: string): LogView[] {
    return this.#byTrace.all(traceId, maxLogsPerTrace).map((row) => this.#view(row));
  }

  /** One page of the records matching `filter`, newest first, with how many match in all. */
  search(filter: LogFilter): { logs: LogView[]; total: number } {
    const where: string[] = [];
    const params: Record<string, SQLInputValue> = {};
    if (filter.traceId !== undefined) {
      where.push("trace_id = $traceId AND trace_id != ''");
      params.traceId = filter.traceId;
    }
    if (filter.service !== undefined) {
      where.push('service = $service');
      params.service = filter.service;
    }
    if (filter.sinceMs !== undefined) {
      where.push('ts_ns >= $since');
      params.since = BigInt(Math.ceil(filter.sinceMs * 1e6));
    }
    if (filter.untilMs !== undefined) {
      where.push('ts_ns <= $until');
      params.until = BigInt(Math.floor(filter.untilMs * 1e6));
    }
    if (filter.minSeverity !== undefined) {
      where.push('severity_number >= $severity');
      params.severity = filter.minSeverity;
    }
    const phrase = filter.q ? LogTextIndex.phrase(filter.q) : undefined;
    if (filter.q && !phrase) {
      // Only punctuation: no word to look up, so look through the stored JSON instead.
      where.push('(instr(lower(body), $q) > 0 OR instr(lower(attributes), $q) > 0)');
      params.q = filter.q.toLowerCase();
    }
    let total: number;
    let rows: Record<string, SQLInputValue>[];
    if (phrase) {
      ({ rows, total } = this.#words.search({ ...filter, phrase }));
    } else {
      const condition = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      total = Number(
        this.#statements.get(`SELECT count(*) AS n FROM logs ${condition}`).get(params)?.n ?? 0,
      );
      rows = this.#statements
        .get(`SELECT ${columns} FROM logs ${condition}
        ORDER BY ts_ns DESC, id DESC LIMIT $limit OFFSET $offset`)
        .all({
          ...params,
          limit: filter.limit,
          offset: filter.offset,
        });
    }
    const names = new Map<string, Map<string, string>>();
    const logs = rows.map((row) => {
      const view = this.#view(row);
      if (view.traceId && view.spanId) {
        let spans = names.get(view.traceId);
        if (!spans) {
          spans = this.#namesOf(view.traceId);
          names.set(view.traceId, spans);
        }
        const name = spans.get(view.spanId);
        if (name !== undefined) view.spanName = name;
      }
      return view;
    });
    return { logs, total };
  }

  // Span id → name for the stored spans of a trace.
  #namesOf(traceId: string): Map<string, string> {
    const spans = new Map<string, string>();
    const row = this.#segmentsOf.get(traceId);
    if (!row) return spans;
    for (const segment of parseSegments(String(row.segments))) {
      for (const span of this.#spanNames.iterate(segment.first, segment.last)) {
        spans.set(String(span.span_id), String(span.name));
      }
    }
    return spans;
  }

  #view(row: Record<string, SQLInputValue>): LogView {
    return {
      timeUnixNano: String(row.time),
      observedTimeUnixNano: String(row.observed),
      severityNumber: Number(row.severity_number),
      severityText: String(row.severity_text),
      body: unpackValue(JSON.parse(String(row.body)) as PackedValue),
      attributes: unpackList(JSON.parse(String(row.attributes)) as PackedList),
      droppedAttributesCount: Number(row.dropped_attributes),
      traceId: String(row.trace_id),
      spanId: String(row.span_id),
      flags: Number(row.flags),
      eventName: String(row.event_name),
      service: String(row.service),
      resource: this.#origins.get(Number(row.resource_id)),
      scope: this.#origins.get(Number(row.scope_id)),
    };
  }
}
