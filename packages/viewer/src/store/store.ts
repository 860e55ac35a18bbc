import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ExportBatch } from '../records.ts';
import { DependencyQueries } from './dependency-queries.ts';
import { ErrorQueries } from './error-queries.ts';
import { LogQueries } from './log-queries.ts';
import { LogTextIndex } from './log-text-index.ts';
import { LogWriter } from './log-writer.ts';
import { MetricQueries } from './metric-queries.ts';
import { MetricSeriesQueries } from './metric-series.ts';
import { MetricWriter } from './metric-writer.ts';
import { OriginIds } from './origin-ids.ts';
import { RedQueries } from './red-queries.ts';
import { Retention, type RetentionLimits } from './retention.ts';
import { pragmasSql, schemaSql, schemaVersion } from './schema.ts';
import { SpanWriter } from './span-writer.ts';
import { TraceIndex } from './trace-index.ts';
import { TraceQueries } from './trace-queries.ts';

/** Options of {@link Store.open}. */
export interface StoreOptions extends RetentionLimits {
  /** SQLite file, created with its folder when missing; `:memory:` keeps nothing. */
  path: string;
}

// A database from another version of the viewer is left alone rather than silently rewritten.
function checkSchemaVersion(db: DatabaseSync, path: string): void {
  const version = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'spans'").get();
  if (Number(tables?.n) > 0 && version !== schemaVersion) {
    throw new Error(
      `${path} was written by another version of otelkit-viewer (schema ${version}, this one reads ${schemaVersion}); delete it or choose another --db`,
    );
  }
}

/** Counts of what the store holds (`GET /api/stats`). */
export interface StoreStats {
  spans: number;
  traces: number;
  logs: number;
  metricPoints: number;
}

/** The SQLite store: batched writes, retention in small steps, and the queries of the API. */
export class Store {
  readonly #db: DatabaseSync;
  readonly #origins: OriginIds;
  readonly #spans: SpanWriter;
  readonly #logs: LogWriter;
  readonly #metrics: MetricWriter;
  readonly #logText: LogTextIndex;
  readonly #retention: Retention;
  readonly #limits: RetentionLimits;
  readonly traces: TraceQueries;
  readonly logs: LogQueries;
  readonly metrics: MetricQueries;
  readonly metricSeries: MetricSeriesQueries;
  readonly errors: ErrorQueries;
  readonly dependencies: DependencyQueries;
  readonly red: RedQueries;

  private constructor(db: DatabaseSync, limits: RetentionLimits) {
    this.#db = db;
    const traceIndex = TraceIndex.load(db);
    this.#logText = new LogTextIndex(db);
    this.#origins = new OriginIds(db);
    this.#spans = new SpanWriter(db, this.#origins, traceIndex);
    this.#logs = new LogWriter(db, this.#origins, this.#logText);
    this.#metrics = new MetricWriter(db, this.#origins);
    this.#retention = new Retention(db, limits, traceIndex, this.#logText);
    this.#limits = limits;
    this.traces = new TraceQueries(db, traceIndex);
    this.logs = new LogQueries(db, this.#logText);
    this.metrics = new MetricQueries(db);
    this.metricSeries = new MetricSeriesQueries(db);
    this.errors = new ErrorQueries(db);
    this.dependencies = new DependencyQueries(db);
    this.red = new RedQueries(db, this.metricSeries);
  }

  /** Opens (or creates) the database and its schema. */
  static open(options: StoreOptions): Store {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new DatabaseSync(options.path);
    try {
      checkSchemaVersion(db, options.path);
      db.exec(pragmasSql);
      db.exec(schemaSql);
      db.exec(`PRAGMA user_version = ${schemaVersion}`);
    } catch (error) {
      db.close();
      throw error;
    }
    return new Store(db, options);
  }

  /** Writes the batches in one transaction: all of them are stored, or none. */
  write(batches: readonly ExportBatch[]): void {
    let spans = 0;
    this.#db.exec('BEGIN');
    try {
      for (const batch of batches) {
        if (batch.signal === 'traces') {
          spans += this.#spans.write(batch.records);
        } else if (batch.signal === 'logs') {
          this.#logs.write(batch.records);
        } else {
          this.#metrics.write(batch.records);
        }
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      this.#origins.clear();
      this.#spans.rolledBack();
      this.#logText.reset();
      throw error;
    }
    this.#spans.committed();
    this.#retention.spanCount += spans;
  }

  /** Spans currently stored. */
  get spanCount(): number {
    return this.#retention.spanCount;
  }

  /** True when more spans are stored than the retention allows. */
  get overSpanLimit(): boolean {
    return this.#retention.spanCount > this.#limits.maxSpans;
  }

  /** Removes one small chunk of telemetry beyond the limits; true when more remains. */
  trimStep(nowMs?: number): boolean {
    return this.#retention.step(nowMs);
  }

  /** The span names of `service` (of every service when not given), sorted. */
  operations(service?: string): string[] {
    const rows =
      service === undefined
        ? this.#db.prepare('SELECT DISTINCT name FROM operations ORDER BY name').all()
        : this.#db
            .prepare('SELECT name FROM operations WHERE service = ? ORDER BY name')
            .all(service);
    return rows.map((row) => String(row.name));
  }

  /** Service names seen in any signal. */
  services(): string[] {
    const rows = this.#db
      .prepare("SELECT DISTINCT service FROM origins WHERE service != '' ORDER BY service")
      .all();
    return rows.map((row) => String(row.service));
  }

  /** How much telemetry is stored. */
  stats(): StoreStats {
    const count = (table: string) =>
      Number(this.#db.prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0);
    return {
      spans: this.#retention.spanCount,
      traces: count('traces'),
      logs: count('logs'),
      metricPoints: count('metric_points'),
    };
  }

  /** Closes the database (checkpointing the WAL into the file). */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
