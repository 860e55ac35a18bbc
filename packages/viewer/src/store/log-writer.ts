import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { LogRecordRow } from '../records.ts';
import type { OriginIds } from './origin-ids.ts';

/** Writes log records inside the caller's transaction. */
export class LogWriter {
  readonly #origins: OriginIds;
  readonly #insert: StatementSync;

  constructor(db: DatabaseSync, origins: OriginIds) {
    this.#origins = origins;
    this.#insert = db.prepare(`INSERT INTO logs (time_ns, observed_time_ns, severity_number,
      severity_text, body, attributes, trace_id, span_id, flags, event_name, dropped_attributes,
      service, resource_id, scope_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** Inserts `logs`. */
  write(logs: readonly LogRecordRow[]): void {
    for (const log of logs) {
      this.#insert.run(
        log.timeNs,
        log.observedTimeNs,
        log.severityNumber,
        log.severityText,
        log.body,
        log.attributes,
        log.traceId,
        log.spanId,
        log.flags,
        log.eventName,
        log.droppedAttributesCount,
        log.resource.service,
        this.#origins.idOf(log.resource),
        this.#origins.idOf(log.scope),
      );
    }
  }
}
