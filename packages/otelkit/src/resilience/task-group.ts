import { type Context, context } from '@opentelemetry/api';
import { currentSignal, NEVER_ABORTED, setSignal } from '../context/current-signal.ts';
import { withSpan } from '../trace/with-span.ts';

/** Options of `new TaskGroup()`. */
export interface TaskGroupOptions {
  /** The most tasks running at once. @default 8 */
  concurrency?: number;
  /** Abort the other tasks' signal on the first failure (Go's `errgroup.WithContext`). @default false */
  failFast?: boolean;
  /** Cancels the whole group. @default currentSignal() */
  signal?: AbortSignal;
  /** Names the group: the `task.group` attribute of each task's span. */
  name?: string;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * A bounded pool of concurrent tasks sharing one cancellation signal (Go's
 * `errgroup` with `SetLimit`, plus panic-safe workers): each task runs in a
 * child span of the context it was spawned in, with the group's signal as
 * `currentSignal()`. A failing task never becomes an unhandled rejection,
 * even if `wait()` is never called. `await using` aborts and waits.
 *
 * @example
 * await using group = new TaskGroup<Image>({ concurrency: 4, failFast: true });
 * for (const url of urls) group.spawn(`resize ${url}`, (signal) => resize(url, signal));
 * const images = await group.wait();
 */
export class TaskGroup<T = unknown> implements AsyncDisposable {
  readonly #concurrency: number;
  readonly #failFast: boolean;
  readonly #name: string | undefined;
  readonly #parent: AbortSignal;
  readonly #controller = new AbortController();
  readonly #outcomes: (Outcome<T> | undefined)[] = [];
  readonly #queue: (() => void)[] = [];
  #queueHead = 0;
  #running = 0;
  #unsettled = 0;
  #waiters: (() => void)[] = [];
  #listening = false;
  readonly #onParentAbort = () => this.#abort(this.#parent.reason);

  constructor(options: TaskGroupOptions = {}) {
    const concurrency = options.concurrency ?? 8;
    if (!(concurrency >= 1)) throw new RangeError('TaskGroup: concurrency must be at least 1');
    this.#concurrency = concurrency;
    this.#failFast = options.failFast ?? false;
    this.#name = options.name;
    this.#parent = options.signal ?? currentSignal();
    if (this.#parent.aborted) this.#controller.abort(this.#parent.reason);
  }

  /** The group's signal: aborts on the parent's abort, on dispose, and with `failFast` on the first failure. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * Runs `fn(signal)` as soon as fewer than `concurrency` tasks are running,
   * in a span `name`. Once the group is aborted, new and queued tasks fail
   * with the abort reason without running.
   */
  spawn(name: string, fn: (signal: AbortSignal) => T | PromiseLike<T>): void {
    const index = this.#outcomes.push(undefined) - 1;
    if (this.#unsettled++ === 0) this.#listen();
    const ctx = context.active();
    const start = () => this.#start(index, name, fn, ctx);
    if (this.#running < this.#concurrency) start();
    else this.#queue.push(start);
  }

  /**
   * Resolves with every task's result in spawn order once all have settled,
   * or rejects with an `AggregateError` of every distinct failure.
   */
  wait(): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) => {
      const finish = () => {
        const failures = this.#failures();
        if (failures.length === 0) {
          resolve(this.#outcomes.map((outcome) => (outcome as { value: T }).value));
          return;
        }
        const label = this.#name === undefined ? 'task group' : `task group ${this.#name}`;
        const message = `${failures.length} of ${this.#outcomes.length} tasks of the ${label} failed`;
        reject(new AggregateError(failures, message));
      };
      if (this.#unsettled === 0) finish();
      else this.#waiters.push(finish);
    });
  }

  /** Aborts the group's signal and waits until every task has settled; never rejects. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#abort(new DOMException('The task group was disposed', 'AbortError'));
    if (this.#unsettled > 0) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /** Distinct failures in spawn order: tasks cancelled with one error (failFast, abort) report it once. */
  #failures(): unknown[] {
    const failures = new Set<unknown>();
    for (const outcome of this.#outcomes) if (outcome && !outcome.ok) failures.add(outcome.error);
    return [...failures];
  }

  #start(
    index: number,
    name: string,
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    ctx: Context,
  ): void {
    const { signal } = this.#controller;
    if (signal.aborted) {
      this.#settle(index, { ok: false, error: signal.reason });
      return;
    }
    this.#running++;
    let result: T | PromiseLike<T>;
    try {
      result = context.with(setSignal(ctx, signal), () =>
        withSpan(
          name,
          () => fn(signal),
          this.#name === undefined ? undefined : { attributes: { 'task.group': this.#name } },
        ),
      );
    } catch (error) {
      this.#finish(index, { ok: false, error });
      return;
    }
    Promise.resolve(result).then(
      (value) => this.#finish(index, { ok: true, value }),
      (error: unknown) => this.#finish(index, { ok: false, error }),
    );
  }

  #finish(index: number, outcome: Outcome<T>): void {
    this.#running--;
    this.#settle(index, outcome);
    if (this.#queueHead < this.#queue.length) {
      const next = this.#queue[this.#queueHead]!;
      this.#queue[this.#queueHead++] = undefined as never;
      if (this.#queueHead === this.#queue.length) this.#queue.length = this.#queueHead = 0;
      next();
    }
  }

  #settle(index: number, outcome: Outcome<T>): void {
    this.#outcomes[index] = outcome;
    if (!outcome.ok && this.#failFast) this.#abort(outcome.error);
    if (--this.#unsettled === 0) {
      this.#unlisten();
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const waiter of waiters) waiter();
    }
  }

  #abort(reason: unknown): void {
    if (this.#controller.signal.aborted) return;
    this.#unlisten();
    this.#controller.abort(reason);
    // Queued tasks fail now rather than wait for a slot.
    const queued = this.#queue.splice(this.#queueHead);
    this.#queue.length = this.#queueHead = 0;
    for (const start of queued) start();
  }

  #listen(): void {
    if (this.#listening || this.#parent === NEVER_ABORTED || this.#controller.signal.aborted)
      return;
    this.#parent.addEventListener('abort', this.#onParentAbort, { once: true });
    this.#listening = true;
  }

  #unlisten(): void {
    if (!this.#listening) return;
    this.#parent.removeEventListener('abort', this.#onParentAbort);
    this.#listening = false;
  }
}
