import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** Calls from spans of one service to spans of another, or to a database or cache. */
export interface DependencyEdge {
  /** The calling service (the parent span's). */
  parent: string;
  /**
   * The called service (the child span's), or the database or cache its client spans called:
   * `db.system.name` and `server.address`, e.g. `mysql 10.0.0.5`.
   */
  child: string;
  /** What `child` is: a service that sends telemetry, or a database or cache. */
  kind: 'service' | 'database';
  calls: number;
  /** Calls whose child span (for a database: the client span) has status ERROR. */
  errors: number;
}

const minuteMs = 60_000;

/** The service map, from the per-minute call counts folded in at ingest. */
export class DependencyQueries {
  readonly #edges: StatementSync;

  constructor(db: DatabaseSync) {
    this.#edges = db.prepare(`SELECT parent, child, max(database) AS database,
      sum(calls) AS calls, sum(errors) AS errors FROM edge_minutes WHERE minute BETWEEN ? AND ?
      GROUP BY parent, child ORDER BY calls DESC, parent, child`);
  }

  /**
   * Calls between services whose child span started in the range (counted by the minute: the
   * range widens to whole minutes), busiest first.
   */
  edges(range: { sinceMs?: number; untilMs?: number }): DependencyEdge[] {
    const first = range.sinceMs === undefined ? 0 : Math.floor(range.sinceMs / minuteMs);
    const last =
      range.untilMs === undefined ? Number.MAX_SAFE_INTEGER : Math.floor(range.untilMs / minuteMs);
    return this.#edges.all(first, last).map((row) => ({
      parent: String(row.parent),
      child: String(row.child),
      kind: row.database === 1 ? 'database' : 'service',
      calls: Number(row.calls),
      errors: Number(row.errors),
    }));
  }
}
