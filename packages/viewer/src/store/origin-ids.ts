import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Origin } from '../records.ts';

const maxCached = 10_000;

/** Maps resources and scopes to their row ids, inserting new ones; most lookups hit a cache. */
export class OriginIds {
  readonly #cache = new Map<string, number>();
  readonly #insert: StatementSync;
  readonly #select: StatementSync;

  constructor(db: DatabaseSync) {
    this.#insert = db.prepare(
      'INSERT INTO origins (json, service) VALUES (?, ?) ON CONFLICT (json) DO NOTHING',
    );
    this.#select = db.prepare('SELECT id FROM origins WHERE json = ?');
  }

  /** The row id of `origin`; must run inside the caller's transaction. */
  idOf(origin: Origin): number {
    const cached = this.#cache.get(origin.json);
    if (cached !== undefined) return cached;
    this.#insert.run(origin.json, origin.service);
    const row = this.#select.get(origin.json) as { id: number };
    if (this.#cache.size >= maxCached) this.#cache.clear();
    this.#cache.set(origin.json, row.id);
    return row.id;
  }

  /** Forgets cached ids (after a rollback, which may have undone their insertion). */
  clear(): void {
    this.#cache.clear();
  }
}
