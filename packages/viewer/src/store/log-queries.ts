import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  type JsonAnyValue,
  type JsonKeyValue,
  type PackedList,
  type PackedValue,
  unpackList,
  unpackValue,
} from '../format/packed-value.ts';
import { OriginReader, type OriginView } from './origin-reader.ts';

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
}

const maxLogsPerTrace = 5_000;

/** Queries over stored log records. */
export class LogQueries {
  readonly #origins: OriginReader;
  readonly #byTrace: StatementSync;

  constructor(db: DatabaseSync) {
    this.#origins = new OriginReader(db);
    this.#byTrace = db.prepare(`SELECT CAST(time_ns AS TEXT) AS time,
      CAST(observed_time_ns AS TEXT) AS observed, severity_number, severity_text, body, attributes,
      dropped_attributes, trace_id, span_id, flags, event_name, service, resource_id, scope_id
      FROM logs WHERE trace_id = ? ORDER BY max(time_ns, observed_time_ns), id LIMIT ?`);
  }

  /** The log records correlated with a trace, oldest first. */
  ofTrace(traceId: string): LogView[] {
    return this.#byTrace.all(traceId, maxLogsPerTrace).map((row) => ({
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
    }));
  }
}
