/**
 * Whether the process is ending and by when, for one exporter: flushes wait
 * no longer than the time left, retries wake at once when the end begins
 * (the backend may be back), and `signal` aborts what is still open when the
 * time is up. Times are monotonic: a wall-clock step changes nothing.
 */
export class ProcessDeadline {
  #ending = false;
  #at: number | undefined;
  #givenMs = 0;
  #timer: NodeJS.Timeout | undefined;
  #cut = new AbortController();
  #wake = new AbortController();

  /** Whether the process is ending. */
  get ending(): boolean {
    return this.#ending;
  }

  /** Aborted when the time left is up (or `cut()`): attempts still open then end. */
  get signal(): AbortSignal {
    return this.#cut.signal;
  }

  /**
   * Marks the process as ending within `timeLeftMs` (none: no deadline), or
   * as going on after all. Sleeping retries wake either way.
   */
  set(ending: boolean, timeLeftMs?: number): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#ending = ending;
    if (this.#cut.signal.aborted && !ending) this.#cut = new AbortController();
    if (ending && timeLeftMs !== undefined) {
      this.#givenMs = Math.max(0, timeLeftMs);
      this.#at = performance.now() + this.#givenMs;
      this.#timer = setTimeout(() => this.cut(), this.#givenMs);
      this.#timer.unref();
    } else {
      this.#at = undefined;
    }
    const wake = this.#wake;
    this.#wake = new AbortController();
    wake.abort();
  }

  /** Ends now: what is open is aborted. */
  cut(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#cut.abort();
  }

  /** How long to wait at most now: `timeoutMs`, or less when the end is nearer. */
  leftMs(timeoutMs: number): number {
    if (this.#at === undefined) return timeoutMs;
    return Math.max(0, Math.min(timeoutMs, this.#at - performance.now()));
  }

  /** Why an attempt the deadline cut short failed. */
  reason(): string {
    return `no answer within the time left to end (${Math.round(this.#givenMs)} ms)`;
  }

  /**
   * Waits for `pending` up to `leftMs(timeoutMs)`; false when the time ran
   * out. The timer keeps the process alive meanwhile, as an awaited flush should.
   */
  async wait(pending: readonly Promise<unknown>[], timeoutMs: number): Promise<boolean> {
    if (pending.length === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.leftMs(timeoutMs));
    });
    const all = Promise.allSettled(pending).then(() => true as const);
    try {
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sleeps `ms` before a retry: true to retry (the time passed, or the end
   * began and the retry goes now), false when the deadline cut it short.
   */
  sleep(ms: number): Promise<boolean> {
    const cut = this.#cut.signal;
    const wake = this.#wake.signal;
    if (cut.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        cut.removeEventListener('abort', done);
        wake.removeEventListener('abort', done);
        resolve(!cut.aborted);
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      cut.addEventListener('abort', done);
      wake.addEventListener('abort', done);
    });
  }
}
