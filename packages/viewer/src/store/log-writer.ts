import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { LogRecordRow } from '../records.ts';
import type { LogTextIndex } from './log-text-index.ts';
import type { OriginIds } from './origin-ids.ts';

/**
 * Writes log records, and their text into the log search, inside the caller's transaction. A
 * record identical to one stored (same time, severity, body, attributes, ids, event name,
 * resource and scope: an exporter retrying) is dropped, the first copy kept.
 */
export class LogWriter {
  readonly #origins: OriginIds;
  readonly #text: LogTextIndex;
  readonly #insert: StatementSync;
  readonly #stored: StatementSync;

  constructor(db: DatabaseSync, origins: OriginIds, text: LogTextIndex) {
    this.#origins = origins;
    this.#text = text;
    this.#insert = db.prepare(`INSERT INTO logs (ts_ns, time_ns, observed_time_ns, severity_number,
      severity_text, body, attributes, trace_id, span_id, flags, event_name, dropped_attributes,
      service, resource_id, scope_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // Found through the (time, severity) index: records of one nanosecond are few.
    this.#stored = db.prepare(`SELECT 1 FROM logs WHERE ts_ns = ? AND severity_number = ?
      AND time_ns = ? AND observed_time_ns = ? AND severity_text = ? AND body = ?
      AND attributes = ? AND trace_id = ? AND span_id = ? AND flags = ? AND event_name = ?
      AND dropped_attributes = ? AND resource_id = ? AND scope_id = ? LIMIT 1`);
  }

  /** Inserts `logs`, but for copies of stored records; returns how many were new. */
  write(logs: readonly LogRecordRow[]): number {
    let written = 0;
    for (const log of logs) {
      // A record's time is when it happened, else when it was observed.
      const ts = log.timeNs !== 0n ? log.timeNs : log.observedTimeNs;
      const resourceId = this.#origins.idOf(log.resource);
      const scopeId = this.#origins.idOf(log.scope);
      const fields = [
        log.timeNs,
        log.observedTimeNs,
        log.severityText,
        log.body,
        log.attributes,
        log.traceId,
        log.spanId,
        log.flags,
        log.eventName,
        log.droppedAttributesCount,
      ] as const;
      if (this.#stored.get(ts, log.severityNumber, ...fields, resourceId, scopeId)) continue;
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
        resourceId,
        scopeId,
      ).lastInsertRowid;
      written++;
      this.#text.add(
        Number(id),
        log.text,
        log.resource.service,
        log.severityNumber,
        Number(ts / 1_000_000n),
      );
    }
    return written;
  }
}
