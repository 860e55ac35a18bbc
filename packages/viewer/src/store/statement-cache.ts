import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * Prepared statements by their SQL. Some statements name tables that come and
 * go (the log search's generations), so the cache starts over once it holds
 * `limit` of them rather than growing without end.
 */
export class StatementCache {
  readonly #db: DatabaseSync;
  readonly #limit: number;
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync, limit = 64) {
    this.#db = db;
    this.#limit = limit;
  }

  /** The statement for `sql`, prepared on first use. */
  get(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      if (this.#statements.size >= this.#limit) this.#statements.clear();
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Forgets every statement (after the tables they name were dropped). */
  clear(): void {
    this.#statements.clear();
  }
}
