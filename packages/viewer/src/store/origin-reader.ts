import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** A resource or scope as the API serves it (OTLP/JSON). */
export type OriginView = Record<string, unknown>;

/** Reads resources and scopes by row id, parsing each once. */
export class OriginReader {
  readonly #select: StatementSync;
  readonly #cache = new Map<number, OriginView>();

  constructor(db: DatabaseSync) {
    this.#select = db.prepare('SELECT json FROM origins WHERE id = ?');
  }

  /** The resource or scope stored under `id` (`{}` if it is gone). */
  get(id: number): OriginView {
    let origin = this.#cache.get(id);
    if (!origin) {
      const row = this.#select.get(id);
      origin = row ? (JSON.parse(String(row.json)) as OriginView) : {};
      if (this.#cache.size > 10_000) this.#cache.clear();
      this.#cache.set(id, origin);
    }
    return origin;
  }
}
