import type { Store } from './store.ts';

/** Options of {@link RetentionSchedule}. */
export interface RetentionScheduleOptions {
  /** How often to look for telemetry past its age, in milliseconds. */
  intervalMs: number;
  /** Reports a failed step; retention then waits for the next interval. */
  onError?: (error: unknown) => void;
}

/**
 * Runs the store's retention in small steps, one per event-loop turn, so that ingest and queries
 * are served between steps: retention never blocks ingest for longer than one short step.
 */
export class RetentionSchedule {
  readonly #store: Store;
  readonly #onError: (error: unknown) => void;
  readonly #timer: NodeJS.Timeout;
  #running = false;
  #closed = false;

  constructor(store: Store, options: RetentionScheduleOptions) {
    this.#store = store;
    this.#onError = options.onError ?? (() => {});
    this.#timer = setInterval(() => this.poke(), options.intervalMs);
    this.#timer.unref();
    this.poke();
  }

  /** Starts trimming unless a run is under way. */
  poke(): void {
    if (this.#running || this.#closed) return;
    this.#running = true;
    setImmediate(() => this.#step());
  }

  #step(): void {
    if (this.#closed) return;
    let more = false;
    try {
      more = this.#store.trimStep();
    } catch (error) {
      this.#onError(error);
    }
    if (more) setImmediate(() => this.#step());
    else this.#running = false;
  }

  /** Stops trimming. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
  }
}
