import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { MetricPointRecord } from '../records.ts';
import type { OriginIds } from './origin-ids.ts';

/** Writes metric data points inside the caller's transaction. */
export class MetricWriter {
  readonly #origins: OriginIds;
  readonly #insert: StatementSync;

  constructor(db: DatabaseSync, origins: OriginIds) {
    this.#origins = origins;
    this.#insert = db.prepare(`INSERT INTO metric_points (name, description, unit, type,
      attributes, start_time_ns, time_ns, value, service, resource_id, scope_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** Inserts `points`. */
  write(points: readonly MetricPointRecord[]): void {
    for (const point of points) {
      this.#insert.run(
        point.name,
        point.description,
        point.unit,
        point.type,
        point.attributes,
        point.startTimeNs,
        point.timeNs,
        point.value,
        point.resource.service,
        this.#origins.idOf(point.resource),
        this.#origins.idOf(point.scope),
      );
    }
  }
}
