import { type Context, context, type Span, trace } from '@opentelemetry/api';
import { recordError } from '../errors/record-error.ts';
import { currentSignal } from './current-signal.ts';
import { logFailure } from './report-failure.ts';

/**
 * An `AsyncDisposableStack` that also disposes itself when a signal aborts.
 * Every step is wrapped so that a failure is collected instead of stopping
 * the others; the collected failures are reported together at the end.
 */
class CleanupStack extends AsyncDisposableStack {
  readonly #signal: AbortSignal;
  readonly #context: Context;
  readonly #span: Span | undefined;
  readonly #errors: unknown[] = [];
  #collecting = false;
  #disposal: Promise<void> | undefined;
  readonly #onAbort = () => {
    this.disposeAsync().catch((error: unknown) =>
      logFailure('cleanup failed after its signal aborted', error),
    );
  };

  constructor(signal: AbortSignal) {
    super();
    this.#signal = signal;
    this.#context = context.active();
    this.#span = trace.getActiveSpan();
    if (signal.aborted) queueMicrotask(this.#onAbort);
    else signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  override use<T extends AsyncDisposable | Disposable | null | undefined>(value: T): T {
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

  override adopt<T>(value: T, onDispose: (value: T) => PromiseLike<void> | void): T {
    if (typeof onDispose !== 'function') throw new TypeError('onDispose must be a function');
    this.defer(() => onDispose(value));
    return value;
  }

  override defer(onDispose: () => PromiseLike<void> | void): void {
    if (typeof onDispose !== 'function') throw new TypeError('onDispose must be a function');
    super.defer(async () => {
      try {
        await onDispose();
      } catch (error) {
        // Moved to another stack with move(): that stack reports its own way.
        if (!this.#collecting) throw error;
        this.#errors.push(error);
      }
    });
  }

  override move(): AsyncDisposableStack {
    this.#signal.removeEventListener('abort', this.#onAbort);
    return super.move();
  }

  override disposeAsync(): Promise<void> {
    this.#disposal ??= context.with(this.#context, () => this.#dispose());
    return this.#disposal;
  }

  override [Symbol.asyncDispose](): Promise<void> {
    return this.disposeAsync();
  }

  async #dispose(): Promise<void> {
    this.#signal.removeEventListener('abort', this.#onAbort);
    this.#collecting = true;
    try {
      await super.disposeAsync();
    } finally {
      this.#collecting = false;
    }
    const errors = this.#errors;
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
export function createCleanup(signal: AbortSignal = currentSignal()): AsyncDisposableStack {
  return new CleanupStack(signal);
}
