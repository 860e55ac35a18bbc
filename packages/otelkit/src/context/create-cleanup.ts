import { type Context, context, type Span, trace } from '@opentelemetry/api';
import { recordError } from '../errors/record-error.ts';
import { currentSignal } from './current-signal.ts';
import { logFailure } from './report-failure.ts';

/**
 * A stack of cleanup steps, shaped like the standard `AsyncDisposableStack`
 * (`use`, `adopt`, `defer`, `move`, `disposeAsync`, `await using`) and working
 * on every Node.js version otelkit supports, including those without it.
 */
export interface Cleanup extends AsyncDisposable {
  /** True once the steps have run (or were moved to another stack). */
  readonly disposed: boolean;
  /** Registers a disposable (async or sync) to dispose; `null` and `undefined` are ignored. */
  use<T extends AsyncDisposable | Disposable | null | undefined>(value: T): T;
  /** Registers `onDispose(value)` as a step and returns `value`. */
  adopt<T>(value: T, onDispose: (value: T) => PromiseLike<void> | void): T;
  /** Registers a step. */
  defer(onDispose: () => PromiseLike<void> | void): void;
  /** Moves every step to a new stack, which no signal disposes; this one is then disposed, empty. */
  move(): Cleanup;
  /** Runs every step once, last registered first; the same promise on every call. */
  disposeAsync(): Promise<void>;
}

type Step = () => PromiseLike<void> | void;

/**
 * The steps of a stack, which also disposes itself when a signal aborts.
 * Every step runs even when an earlier one fails; the failures are reported
 * together at the end.
 */
class CleanupStack implements Cleanup {
  readonly #signal: AbortSignal | undefined;
  readonly #context: Context;
  readonly #span: Span | undefined;
  #steps: Step[] = [];
  #disposal: Promise<void> | undefined;
  readonly #onAbort = () => {
    this.disposeAsync().catch((error: unknown) =>
      logFailure('cleanup failed after its signal aborted', error),
    );
  };

  constructor(signal: AbortSignal | undefined) {
    this.#signal = signal;
    this.#context = context.active();
    this.#span = trace.getActiveSpan();
    if (signal?.aborted) queueMicrotask(this.#onAbort);
    else signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get disposed(): boolean {
    return this.#disposal !== undefined;
  }

  get [Symbol.toStringTag](): string {
    return 'Cleanup';
  }

  use<T extends AsyncDisposable | Disposable | null | undefined>(value: T): T {
    if (value === null || value === undefined) return value;
    const resource = value as Partial<AsyncDisposable & Disposable>;
    const disposeAsync = resource[Symbol.asyncDispose];
    const dispose = resource[Symbol.dispose];
    if (typeof disposeAsync === 'function') this.defer(() => disposeAsync.call(value));
    else if (typeof dispose === 'function') this.defer(() => void dispose.call(value));
    else
      throw new TypeError(
        'createCleanup().use(): the value is neither AsyncDisposable nor Disposable',
      );
    return value;
  }

  adopt<T>(value: T, onDispose: (value: T) => PromiseLike<void> | void): T {
    if (typeof onDispose !== 'function') throw new TypeError('onDispose must be a function');
    this.defer(() => onDispose(value));
    return value;
  }

  defer(onDispose: Step): void {
    if (typeof onDispose !== 'function') throw new TypeError('onDispose must be a function');
    this.#assertOpen();
    this.#steps.push(onDispose);
  }

  move(): Cleanup {
    this.#assertOpen();
    const moved = new CleanupStack(undefined);
    moved.#steps = this.#steps;
    this.#steps = [];
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#disposal = Promise.resolve();
    return moved;
  }

  disposeAsync(): Promise<void> {
    this.#disposal ??= context.with(this.#context, () => this.#dispose());
    return this.#disposal;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.disposeAsync();
  }

  #assertOpen(): void {
    if (this.#disposal !== undefined)
      throw new ReferenceError('the cleanup stack is already disposed');
  }

  async #dispose(): Promise<void> {
    this.#signal?.removeEventListener('abort', this.#onAbort);
    const steps = this.#steps;
    this.#steps = [];
    const errors: unknown[] = [];
    for (let i = steps.length - 1; i >= 0; i--) {
      try {
        await steps[i]!();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 0) return;
    const error =
      errors.length === 1
        ? errors[0]
        : new AggregateError(errors, `${errors.length} cleanup steps failed`);
    recordError(error, this.#span ? { span: this.#span } : undefined);
    throw error;
  }
}

/**
 * A stack of cleanups that run once, last registered first, on dispose (e.g.
 * `await using`) or when `signal` aborts, whichever comes first (Go's
 * `defer` plus `context.AfterFunc`). A failing step does not stop the others:
 * a single failure is rethrown as is, several as one `AggregateError` in run
 * order, and either is recorded on the span active at creation.
 *
 * @example
 * await using cleanup = createCleanup();
 * const file = cleanup.use(await open(path));
 * cleanup.defer(() => removeTempDir(dir));
 */
export function createCleanup(signal: AbortSignal = currentSignal()): Cleanup {
  return new CleanupStack(signal);
}
