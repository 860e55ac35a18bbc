import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { LatencyHistogram } from './latency-histogram.ts';

interface RedCount {
  service: string;
  route: string;
  width: number;
  bucket: number;
  count: number;
  errors: number;
  histogram: LatencyHistogram;
}

/** The bucket widths kept, in minutes: charts of long ranges read ten times fewer rows. */
export const redWidths = [1, 10] as const;

/**
 * Folds server spans into `red_buckets`: requests, errors and a latency histogram per service,
 * route and minute (and ten minutes), the source of the RED charts when no
 * `http.server.request.duration` metric is sent.
 */
export class RedWriter {
  readonly #select: StatementSync;
  readonly #replace: StatementSync;
  readonly #pending = new Map<string, RedCount>();

  constructor(db: DatabaseSync) {
    this.#select = db.prepare(`SELECT count, errors, histogram FROM red_buckets
      WHERE service = ? AND width = ? AND bucket = ? AND route = ?`);
    this.#replace = db.prepare(`INSERT OR REPLACE INTO red_buckets (service, width, bucket, route,
      count, errors, histogram) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  }

  /** Counts one request of `route` served by `service`, started in `minute`. */
  add(service: string, route: string, minute: number, durationMs: number, error: boolean): void {
    for (const width of redWidths) {
      const bucket = Math.floor(minute / width);
      const key = `${service}\u0000${route}\u0000${width}\u0000${bucket}`;
      let count = this.#pending.get(key);
      if (!count) {
        count = {
          service,
          route,
          width,
          bucket,
          count: 0,
          errors: 0,
          histogram: new LatencyHistogram(),
        };
        this.#pending.set(key, count);
      }
      count.count++;
      if (error) count.errors++;
      count.histogram.add(durationMs);
    }
  }

  /** Merges the counts gathered since the last flush into the table. */
  flush(): void {
    for (const c of this.#pending.values()) {
      const row = this.#select.get(c.service, c.width, c.bucket, c.route);
      if (row) {
        c.count += Number(row.count);
        c.errors += Number(row.errors);
        c.histogram.mergeStored(String(row.histogram));
      }
      this.#replace.run(
        c.service,
        c.width,
        c.bucket,
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
