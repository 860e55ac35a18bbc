import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { LogTextIndex } from './log-text-index.ts';
import { StatementCache } from './statement-cache.ts';
import { hourUnit, type TimeUnit, timeUnits } from './time-units.ts';

/** A search for words, with the other conditions of the log filter. */
export interface WordSearch {
  /** The FTS5 phrase of the words. */
  phrase: string;
  service?: string;
  minSeverity?: number;
  traceId?: string;
  sinceMs?: number;
  untilMs?: number;
  limit: number;
  offset: number;
}

type Row = Record<string, SQLInputValue>;

// Up to this many matching records, the page sorts them all; beyond, it walks back in time.
const sortable = 10_000;
const maxNs = 9223372036854775807n;

/**
 * The log records holding some words, newest first, with their total: counted by the text index
 * unit of time by unit of time (see `time-units.ts`), so that neither a common word nor a time
 * range makes SQLite read every matching record; the page is gathered from the newest unit back
 * until it is full, and only the units at the edges of the range have their records' times
 * compared.
 */
export class LogWordSearch {
  readonly #text: LogTextIndex;
  readonly #columns: string;
  readonly #statements: StatementCache;
  readonly #bounds: StatementSync;
  readonly #olderThan: StatementSync;

  constructor(db: DatabaseSync, text: LogTextIndex, columns: string) {
    this.#statements = new StatementCache(db);
    this.#text = text;
    this.#columns = columns;
    this.#bounds = db.prepare(`SELECT min(id) AS first, min(ts_ns) / 1000000 AS oldest,
      max(ts_ns) / 1000000 AS newest FROM logs`);
    this.#olderThan = db.prepare('SELECT max(ts_ns) / 1000000 AS t FROM logs WHERE ts_ns < ?');
  }

  /** One page of matching rows, newest first, and how many match. */
  search(query: WordSearch): { rows: Row[]; total: number } {
    const bounds = this.#bounds.get();
    if (!bounds || bounds.first === null) return { rows: [], total: 0 };
    const first = Number(bounds.first);
    const match = this.#text.match(query);
    const want = query.offset + query.limit;
    if (query.traceId !== undefined) {
      // A trace's records are few: fetch them all.
      const rows = this.#rows(match, query, undefined);
      return { rows: rows.slice(query.offset, want), total: rows.length };
    }
    const ranged = query.sinceMs !== undefined || query.untilMs !== undefined;
    if (!ranged) {
      const total = this.#text.count(match, first);
      if (total <= sortable) {
        const rows = this.#rows(match, query, undefined);
        return { rows: rows.slice(query.offset, want), total };
      }
      return { rows: this.#walkHours(match, query, Number(bounds.newest)), total };
    }
    const units = timeUnits(
      query.sinceMs ?? Number(bounds.oldest),
      query.untilMs ?? Number(bounds.newest),
    );
    let total = 0;
    const rows: Row[] = [];
    for (const unit of units) {
      const whole = this.#inRange(unit, query);
      // Whole units are counted by the text index; the page needs their rows only until full.
      if (whole && rows.length >= want) {
        total += this.#text.count(`${match} AND ${unit.word}`, first);
        continue;
      }
      const found = this.#rows(`${match} AND ${unit.word}`, query, whole ? undefined : unit);
      total += found.length;
      if (rows.length < want) rows.push(...found);
    }
    return { rows: rows.slice(query.offset, want), total };
  }

  // Without a range, the newest matching records are gathered hour by hour back from the newest
  // record, skipping hours without records.
  #walkHours(match: string, query: WordSearch, newestMs: number): Row[] {
    const want = query.offset + query.limit;
    const rows: Row[] = [];
    let at: number | undefined = newestMs;
    while (at !== undefined && rows.length < want) {
      const unit = hourUnit(at);
      rows.push(...this.#rows(`${match} AND ${unit.word}`, query, undefined));
      const older = this.#olderThan.get(BigInt(unit.startMs) * 1_000_000n)?.t;
      at = older === null || older === undefined ? undefined : Number(older);
    }
    return rows.slice(query.offset, want);
  }

  // A unit lies wholly in the range when the range does not cut it.
  #inRange(unit: TimeUnit, query: WordSearch): boolean {
    return (
      (query.sinceMs === undefined || query.sinceMs <= unit.startMs) &&
      (query.untilMs === undefined || query.untilMs >= unit.endMs - 1)
    );
  }

  // The rows matching `match`, newest first; within `edge`, only those in the query's range.
  #rows(match: string, query: WordSearch, edge: TimeUnit | undefined): Row[] {
    const where: string[] = [];
    const params: Row = { match };
    if (query.traceId !== undefined) {
      where.push("trace_id = $traceId AND trace_id != ''");
      params.traceId = query.traceId;
    }
    if (edge) {
      where.push('ts_ns BETWEEN $since AND $until');
      params.since = query.sinceMs === undefined ? 0n : BigInt(Math.ceil(query.sinceMs * 1e6));
      params.until = query.untilMs === undefined ? maxNs : BigInt(Math.floor(query.untilMs * 1e6));
    }
    const condition = where.map((c) => ` AND ${c}`).join('');
    return this.#statements
      .get(`SELECT ${this.#columns} FROM logs
      WHERE id IN (${this.#text.matchingIds('$match')})${condition}
      ORDER BY ts_ns DESC, id DESC`)
      .all(params);
  }
}
