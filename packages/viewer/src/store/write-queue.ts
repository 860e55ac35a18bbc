import type { ExportBatch } from '../records.ts';
import type { Store } from './store.ts';

interface Pending {
  batch: ExportBatch;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: batches that arrive while the event loop is busy are written together in one
 * transaction on the next turn, and each request is answered once its batch is committed.
 */
export class WriteQueue {
  readonly #store: Store;
  readonly #afterWrite: () => void;
  #pending: Pending[] = [];
  #scheduled = false;

  /** `afterWrite` runs after each commit (the retention scheduler listens there). */
  constructor(store: Store, afterWrite: () => void = () => {}) {
    this.#store = store;
    this.#afterWrite = afterWrite;
  }

  /** Queues `batch`; settles when it is stored, or rejects with the storage error. */
  write(batch: ExportBatch): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ batch, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const pending = this.#pending;
    this.#pending = [];
    try {
      this.#store.write(pending.map((p) => p.batch));
    } catch (error) {
      for (const p of pending) p.reject(error);
      return;
    }
    for (const p of pending) p.resolve();
    this.#afterWrite();
  }
}
