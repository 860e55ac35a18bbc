interface Task {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs ingest work (decoding slices of requests, group commits) in turns of the event loop:
 * tasks run in order until a turn has taken `budgetMs`, then the rest waits for the next turn,
 * so that the API's requests are answered in between. One turn lasts at most the budget plus
 * the task that crossed it, however many exports arrive at once.
 */
export class TurnScheduler {
  readonly #budgetMs: number;
  #tasks: Task[] = [];
  #head = 0;
  #scheduled = false;

  constructor(budgetMs = 10) {
    this.#budgetMs = budgetMs;
  }

  /** Runs `task` in a turn after the tasks queued before it; settles with its outcome. */
  run<T>(task: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#tasks.push({ run: task, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#turn());
  }

  #turn(): void {
    this.#scheduled = false;
    const started = performance.now();
    while (this.#head < this.#tasks.length) {
      if (performance.now() - started >= this.#budgetMs) {
        this.#schedule();
        return;
      }
      const task = this.#tasks[this.#head++]!;
      try {
        task.resolve(task.run());
      } catch (error) {
        task.reject(error);
      }
    }
    this.#tasks = [];
    this.#head = 0;
  }
}
