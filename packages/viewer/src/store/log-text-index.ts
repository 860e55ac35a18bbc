import type { DatabaseSync, StatementSync } from 'node:sqlite';

const generationSize = 50_000;
const tableName = /^log_text_(\d+)$/;

/**
 * The log search: the text of each log record (body and `key=value` attributes) in FTS5 trigram
 * tables, one per 50,000 record ids, so that any substring of three characters or more is found
 * through the index. Retention removes records oldest id first and drops a table once all of its
 * records are gone: deleting rows one by one from FTS5 would slow every later search.
 */
export class LogTextIndex {
  readonly #db: DatabaseSync;
  readonly #inserts = new Map<number, StatementSync>();
  #generations: number[] = [];

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#discover();
  }

  /** Indexes the text of log record `id`, inside the caller's transaction. */
  add(id: number, text: string): void {
    const generation = Math.floor(id / generationSize);
    let insert = this.#inserts.get(generation);
    if (!insert) {
      this.#db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS log_text_${generation} USING fts5(text,
        tokenize = 'trigram', content = '', columnsize = 0)`);
      insert = this.#db.prepare(`INSERT INTO log_text_${generation} (rowid, text) VALUES (?, ?)`);
      this.#inserts.set(generation, insert);
      if (!this.#generations.includes(generation)) this.#generations.push(generation);
    }
    insert.run(id, text);
  }

  /**
   * A subquery of the ids of records whose text contains the SQL parameter `param` (an FTS5
   * phrase, see {@link LogTextIndex.phrase}); ids of removed records may remain in it.
   */
  matchingIds(param: string): string {
    if (this.#generations.length === 0) return 'SELECT 0 WHERE 0';
    return this.#generations
      .map((g) => `SELECT rowid FROM log_text_${g} WHERE log_text_${g} MATCH ${param}`)
      .join(' UNION ALL ');
  }

  /** Drops the tables all of whose records have been removed. */
  dropBelow(firstLiveId: number): void {
    for (const generation of [...this.#generations]) {
      if ((generation + 1) * generationSize > firstLiveId) continue;
      this.#db.exec(`DROP TABLE IF EXISTS log_text_${generation}`);
      this.#inserts.delete(generation);
      this.#generations = this.#generations.filter((g) => g !== generation);
    }
  }

  /** Re-reads which tables exist (after a rollback may have undone a creation). */
  reset(): void {
    this.#inserts.clear();
    this.#discover();
  }

  /** `text` as an FTS5 phrase: matched as a substring, case-insensitively. */
  static phrase(text: string): string {
    return `"${text.replaceAll('"', '""')}"`;
  }

  /** True when `text` is long enough for the trigram index (three characters). */
  static indexable(text: string): boolean {
    return [...text].length >= 3;
  }

  #discover(): void {
    this.#generations = this.#db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB 'log_text_*'")
      .all()
      .map((row) => tableName.exec(String(row.name)))
      .filter((match) => match !== null)
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b);
  }
}
