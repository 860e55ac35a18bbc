import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { LogRecordRow } from '../records.ts';
import type { LogTextIndex } from './log-text-index.ts';
import type { OriginIds } from './origin-ids.ts';

/** Writes log records, and their text into the log search, inside the caller's transaction. */
export class LogWriter {
  readonly #origins: OriginIds;
  readonly #text: LogTextIndex;
  readonly #insert: StatementSync;

  constructor(db: DatabaseSync, origins: OriginIds, text: LogTextIndex) {
    this.#origins = origins;
    this.#text = text;
    this.#insert = db.prepare(`INSERT INTO logs (ts_ns, time_ns, observed_time_ns, severity_number,
      severity_text, body, attributes, trace_id, span_id, flags, event_name, dropped_attributes,
      service, resource_id, scope_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** Inserts `logs`. */
  write(logs: readonly LogRecordRow[]): void {
    for (const log of logs) {
      // A record's time is when it happened, else when it was observed.
      const ts = log.timeNs !== 0n ? log.timeNs : log.observedTimeNs;
      const id = this.#insert.run(
        ts,
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
      ).lastInsertRowid;
      this.#text.add(
        Number(id),
        log.text,
        log.resource.service,
        log.severityNumber,
        Number(ts / 1_000_000n),
      );
    }
  }
}
