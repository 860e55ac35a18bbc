import type { ExportBatch } from '../records.ts';
import type { Store } from './store.ts';

interface Pending {
  batch: ExportBatch;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Runs a task in a turn of the ingest work (see `TurnScheduler`). */
export type Schedule = <T>(task: () => T) => Promise<T>;

/** Options of {@link WriteQueue}. */
export interface WriteQueueOptions {
  /** Runs after each commit (the retention scheduler listens there). */
  afterWrite?: () => void;
  /** Runs a group commit in a turn of the ingest work. */
  schedule?: Schedule;
  /** Records committed together at most (a group holds at least one batch). @default 1024 */
  maxRecords?: number;
}

/**
 * Group commit: batches that arrive while the event loop is busy are written together in one
 * transaction, up to `maxRecords` records a transaction so that no commit holds the event loop
 * for long, and each request is answered once its batch is committed. When a group fails, each
 * of its batches is written alone, so that a batch that cannot be stored fails only its own
 * request.
 */
export class WriteQueue {
  readonly #store: Store;
  readonly #afterWrite: () => void;
  readonly #schedule: Schedule;
  readonly #maxRecords: number;
  #pending: Pending[] = [];
  #scheduled = false;

  constructor(store: Store, options: WriteQueueOptions = {}) {
    this.#store = store;
    this.#afterWrite = options.afterWrite ?? (() => {});
    this.#schedule =
      options.schedule ??
      (<T>(task: () => T) => new Promise<void>((resolve) => setImmediate(resolve)).then(task));
    this.#maxRecords = options.maxRecords ?? 1024;
  }

  /** Queues `batch`; settles when it is stored, or rejects with the storage error. */
  write(batch: ExportBatch): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ batch, resolve, reject });
      this.#next();
    });
  }

  #next(): void {
    if (this.#scheduled || this.#pending.length === 0) return;
    this.#scheduled = true;
    void this.#schedule(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    let records = 0;
    let taken = 0;
    while (taken < this.#pending.length && (taken === 0 || records < this.#maxRecords)) {
      records += this.#pending[taken]!.batch.records.length;
      taken++;
    }
    const group = this.#pending.splice(0, taken);
    try {
      this.#store.write(group.map((p) => p.batch));
      for (const p of group) p.resolve();
    } catch (error) {
      if (group.length === 1) group[0]!.reject(error);
      else for (const p of group) this.#writeAlone(p);
    }
    this.#afterWrite();
    this.#next();
  }

  #writeAlone(pending: Pending): void {
    try {
      this.#store.write([pending.batch]);
      pending.resolve();
    } catch (error) {
      pending.reject(error);
    }
  }
}
