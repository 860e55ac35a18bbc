import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { serviceTerm } from '../format/search-term.ts';
import { StatementCache } from './statement-cache.ts';
import { timeWords } from './time-units.ts';

const generationSize = 50_000;
const tableName = /^log_text_(\d+)$/;

/** What the log search looks for besides words; each condition is optional. */
export interface LogTextQuery {
  /** The words to find, in this order (an FTS5 phrase, see {@link LogTextIndex.phrase}). */
  phrase: string;
  service?: string;
  minSeverity?: number;
}

/**
 * The log search: the words of each log record (body and `key=value` attributes), plus words
 * for its service, its severity and its time (hour, ten minutes, minute: see `time-units.ts`),
 * in FTS5 tables of 50,000 record ids each. A search for words, with or without service,
 * severity and time range, is then counted by FTS5 alone however many records match, and the
 * newest are found unit of time by unit of time. Retention removes records oldest id first and drops a table once all of its
 * records are gone: deleting rows one by one from FTS5 would slow every later search.
 */
export class LogTextIndex {
  readonly #db: DatabaseSync;
  readonly #inserts = new Map<number, StatementSync>();
  readonly #statements: StatementCache;
  #generations: number[] = [];

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#statements = new StatementCache(db);
    this.#discover();
  }

  /** Indexes log record `id` of time `tsMs`, inside the caller's transaction. */
  add(id: number, text: string, service: string, severity: number, tsMs: number): void {
    const generation = Math.floor(id / generationSize);
    let insert = this.#inserts.get(generation);
    if (!insert) {
      this.#db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS log_text_${generation} USING fts5(text,
        content = '', columnsize = 0)`);
      insert = this.#db.prepare(`INSERT INTO log_text_${generation} (rowid, text) VALUES (?, ?)`);
      this.#inserts.set(generation, insert);
      if (!this.#generations.includes(generation)) this.#generations.push(generation);
    }
    insert.run(id, `${text}\n${serviceWord(service)} ${severityWord(severity)} ${timeWords(tsMs)}`);
  }

  /** The FTS5 query of `query`. */
  match(query: LogTextQuery): string {
    const parts = [query.phrase];
    if (query.service !== undefined) parts.push(serviceWord(query.service));
    if (query.minSeverity !== undefined) {
      const levels = [];
      for (let n = Math.max(1, query.minSeverity); n <= 24; n++) levels.push(severityWord(n));
      parts.push(`(${levels.join(' OR ')})`);
    }
    return parts.join(' AND ');
  }

  /** How many records with an id from `firstId` on match (an FTS5 query from {@link match}). */
  count(match: string, firstId: number): number {
    let total = 0;
    for (const generation of this.#generations) {
      if ((generation + 1) * generationSize <= firstId) continue;
      const row = this.#statements
        .get(`SELECT count(*) AS n FROM log_text_${generation}
        WHERE log_text_${generation} MATCH ? AND rowid >= ?`)
        .get(match, firstId);
      total += Number(row?.n ?? 0);
    }
    return total;
  }

  /**
   * A subquery of the ids of records matching the SQL parameter `param`; ids of removed records
   * may remain in it.
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
      this.#statements.clear();
      this.#generations = this.#generations.filter((g) => g !== generation);
    }
  }

  /** Re-reads which tables exist (after a rollback may have undone a creation). */
  reset(): void {
    this.#inserts.clear();
    this.#statements.clear();
    this.#discover();
  }

  /**
   * `text` as an FTS5 phrase: its words, in this order, case-insensitively; undefined when it
   * has no word (only punctuation).
   */
  static phrase(text: string): string | undefined {
    if (!/[\p{L}\p{N}]/u.test(text)) return undefined;
    return `"${text.replaceAll('"', '""')}"`;
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

// Words a record's text is most unlikely to hold: "zsvc" and the service's hash in base 36,
// "zsev" and the severity number.
function serviceWord(service: string): string {
  return `zsvc${serviceTerm(service).toString(36)}`;
}

function severityWord(severity: number): string {
  return `zsev${severity}`;
}
