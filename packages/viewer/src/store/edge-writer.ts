import type { DatabaseSync, StatementSync } from 'node:sqlite';

interface EdgeCount {
  minute: number;
  parent: string;
  child: string;
  calls: number;
  errors: number;
  database: boolean;
}

/**
 * Counts calls between services (a span whose parent is in another service), and from a service
 * to a database or cache (its client spans with `db.system.name`), per minute.
 */
export class EdgeWriter {
  readonly #upsert: StatementSync;
  readonly #pending = new Map<string, EdgeCount>();

  constructor(db: DatabaseSync) {
    this.#upsert = db.prepare(`INSERT INTO edge_minutes (minute, parent, child, calls, errors,
      database) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (minute, parent, child) DO UPDATE SET
      calls = calls + excluded.calls, errors = errors + excluded.errors`);
  }

  /** Counts one call from `parent` to `child` (a database when `database`) starting in `minute`. */
  add(minute: number, parent: string, child: string, error: boolean, database = false): void {
    const key = `${minute}\u0000${parent}\u0000${child}`;
    let count = this.#pending.get(key);
    if (!count) {
      count = { minute, parent, child, calls: 0, errors: 0, database };
      this.#pending.set(key, count);
    }
    count.calls++;
    if (error) count.errors++;
  }

  /** Writes the counts gathered since the last flush, inside the caller's transaction. */
  flush(): void {
    for (const c of this.#pending.values()) {
      this.#upsert.run(c.minute, c.parent, c.child, c.calls, c.errors, c.database ? 1 : 0);
    }
    this.#pending.clear();
  }

  /** Drops unwritten counts (after a rollback). */
  clear(): void {
    this.#pending.clear();
  }
}
