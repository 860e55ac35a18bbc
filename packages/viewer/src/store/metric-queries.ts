import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { type JsonKeyValue, type PackedList, unpackList } from '../format/packed-value.ts';
import { OriginReader, type OriginView } from './origin-reader.ts';

/** A metric with the latest point of each of its series (attribute sets) from one resource. */
export interface MetricView {
  name: string;
  description: string;
  unit: string;
  /** `gauge`, `sum`, `histogram`, `exponentialHistogram` or `summary`. */
  type: string;
  service: string;
  resource: OriginView;
  points: PointView[];
}

/** A data point in OTLP/JSON, e.g. `asDouble`, or `bucketCounts` and `explicitBounds`. */
export type PointView = {
  attributes: JsonKeyValue[];
  startTimeUnixNano: string;
  timeUnixNano: string;
} & Record<string, unknown>;

const latestSql = (where: string) => `SELECT m.name, m.description, m.unit, m.type, m.attributes,
  CAST(m.start_time_ns AS TEXT) AS start, CAST(m.time_ns AS TEXT) AS time, m.value, m.service,
  m.resource_id FROM metric_points m WHERE m.id IN (SELECT max(id) FROM metric_points ${where}
  GROUP BY name, resource_id, attributes) ORDER BY m.name, m.resource_id, m.id`;

/** Queries over stored metric points. */
export class MetricQueries {
  readonly #origins: OriginReader;
  readonly #latest: StatementSync;
  readonly #latestOf: StatementSync;

  constructor(db: DatabaseSync) {
    this.#origins = new OriginReader(db);
    this.#latest = db.prepare(latestSql(''));
    this.#latestOf = db.prepare(latestSql('WHERE name = ?'));
  }

  /** The latest point of every series, grouped by metric and resource; one metric if `name`. */
  latest(name?: string): MetricView[] {
    const rows = name === undefined ? this.#latest.all() : this.#latestOf.all(name);
    const metrics = new Map<string, MetricView>();
    for (const row of rows) {
      const key = `${row.name}\u0000${row.resource_id}`;
      let metric = metrics.get(key);
      if (!metric) {
        metric = {
          name: String(row.name),
          description: String(row.description),
          unit: String(row.unit),
          type: String(row.type),
          service: String(row.service),
          resource: this.#origins.get(Number(row.resource_id)),
          points: [],
        };
        metrics.set(key, metric);
      }
      const value = JSON.parse(String(row.value)) as Record<string, unknown>;
      if (Array.isArray(value.exemplars)) {
        value.exemplars = value.exemplars.map((e: Record<string, unknown>) => ({
          ...e,
          filteredAttributes: unpackList(e.filteredAttributes as PackedList),
        }));
      }
      metric.points.push({
        attributes: unpackList(JSON.parse(String(row.attributes)) as PackedList),
        startTimeUnixNano: String(row.start),
        timeUnixNano: String(row.time),
        ...value,
      });
    }
    return [...metrics.values()];
  }
}
