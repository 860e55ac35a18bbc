import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { LatencyHistogram } from './latency-histogram.ts';

interface RedCount {
  service: string;
  route: string;
  minute: number;
  count: number;
  errors: number;
  histogram: LatencyHistogram;
}

/**
 * Folds server spans into `red_minutes`: requests, errors and a latency histogram per service,
 * route and minute, the source of the RED charts when no `http.server.request.duration` metric
 * is sent.
 */
export class RedWriter {
  readonly #select: StatementSync;
  readonly #replace: StatementSync;
  readonly #pending = new Map<string, RedCount>();

  constructor(db: DatabaseSync) {
    this.#select = db.prepare(
      'SELECT count, errors, histogram FROM red_minutes WHERE service = ? AND minute = ? AND route = ?',
    );
    this.#replace = db.prepare(`INSERT OR REPLACE INTO red_minutes (service, minute, route, count,
      errors, histogram) VALUES (?, ?, ?, ?, ?, ?)`);
  }

  /** Counts one request of `route` served by `service`. */
  add(service: string, route: string, minute: number, durationMs: number, error: boolean): void {
    const key = `${service}\u0000${route}\u0000${minute}`;
    let count = this.#pending.get(key);
    if (!count) {
      count = { service, route, minute, count: 0, errors: 0, histogram: new LatencyHistogram() };
      this.#pending.set(key, count);
    }
    count.count++;
    if (error) count.errors++;
    count.histogram.add(durationMs);
  }

  /** Merges the counts gathered since the last flush into the table. */
  flush(): void {
    for (const c of this.#pending.values()) {
      const row = this.#select.get(c.service, c.minute, c.route);
      if (row) {
        c.count += Number(row.count);
        c.errors += Number(row.errors);
        c.histogram.merge(LatencyHistogram.parse(String(row.histogram)));
      }
      this.#replace.run(
        c.service,
        c.minute,
        c.route,
        c.count,
        c.errors,
        JSON.stringify(c.histogram),
      );
    }
    this.#pending.clear();
  }

  /** Drops unwritten counts (after a rollback). */
  clear(): void {
    this.#pending.clear();
  }
}
