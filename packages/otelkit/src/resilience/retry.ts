import { trace } from '@opentelemetry/api';
import { currentSignal, NEVER_ABORTED } from '../context/current-signal.ts';
import { classifyError } from '../errors/classify-error.ts';
import { errorTypeAttribute } from '../errors/describe-error.ts';
import { preciseNow } from '../internal/clock.ts';
import { backoffDelay, type Jitter, retryAfterHint } from './retry-delay.ts';
import { RetryError } from './retry-error.ts';

export type { Jitter } from './retry-delay.ts';

/** What each attempt of `retry()` is given. */
export interface RetryAttempt {
  /** 1 for the first call, 2 for the first retry, … */
  readonly number: number;
  /** Aborts when the retry is cancelled: pass it on to the I/O. */
  readonly signal: AbortSignal;
}

/** How `retry()` retries. Every field is optional. */
export interface RetryOptions {
  /** Attempts in all, the first included. @default 3 */
  maxAttempts?: number;
  /** The base wait before the first retry. @default 100 */
  initialDelayMs?: number;
  /** The longest wait between attempts; a longer `Retry-After` makes `retry()` give up. @default 10_000 */
  maxDelayMs?: number;
  /** The growth of the base wait per retry. @default 2 */
  multiplier?: number;
  /** Randomization of each wait. @default 'full' */
  jitter?: Jitter;
  /** Give up rather than start a wait that would end past this many ms since the first call. */
  maxElapsedMs?: number;
  /**
   * Which failures are worth another attempt; others are rethrown unchanged at once.
   * @default (error) => classifyError(error).retryable
   * @example retryIf: (error) => error instanceof HttpError && error.status === 503
   */
  retryIf?: (error: unknown) => boolean;
  /** Cancels the waits (at once) and further attempts. @default currentSignal() */
  signal?: AbortSignal;
}

const byClassification = (error: unknown) => classifyError(error).retryable;
const NO_POLICY: RetryOptions = Object.freeze({});
/** The first attempt when nothing can cancel: shared, to spare an allocation per call. */
const FIRST_UNCANCELLABLE: RetryAttempt = Object.freeze({ number: 1, signal: NEVER_ABORTED });

/**
 * Calls `fn` until it succeeds, with exponential backoff and jitter between
 * attempts. It honours a `retryAfterMs` on the error and an HTTP `Retry-After`
 * on its `response`; a failure that `retryIf` rejects is rethrown unchanged at
 * once; after the last attempt it rejects with a `RetryError`. Cancellation
 * (the signal, by default the context's) rejects with `signal.reason`, at once
 * during a wait. Each retry adds a `retry` event to the active span.
 *
 * @example
 * const user = await retry(({ signal }) => fetchUser(id, { signal }), { maxAttempts: 5 });
 */
export function retry<T>(
  fn: (attempt: RetryAttempt) => T | PromiseLike<T>,
  policy: RetryOptions = NO_POLICY,
): Promise<T> {
  const signal = policy.signal ?? currentSignal();
  // Identity first: most calls run with no signal, and the `aborted` getter is not free.
  if (signal !== NEVER_ABORTED && signal.aborted) return Promise.reject(signal.reason);
  if (policy.maxAttempts !== undefined && !(policy.maxAttempts >= 1)) {
    return Promise.reject(new RangeError('retry(): maxAttempts must be at least 1'));
  }
  const start = policy.maxElapsedMs === undefined ? 0 : performance.now();
  let first: T | PromiseLike<T>;
  try {
    first = fn(signal === NEVER_ABORTED ? FIRST_UNCANCELLABLE : { number: 1, signal });
  } catch (error) {
    return retryAfterFailure(fn, policy, signal, error, start);
  }
  // The success path adds a single reaction to fn's promise, nothing more.
  return Promise.resolve(first).then(undefined, (error: unknown) =>
    retryAfterFailure(fn, policy, signal, error, start),
  );
}

async function retryAfterFailure<T>(
  fn: (attempt: RetryAttempt) => T | PromiseLike<T>,
  policy: RetryOptions,
  signal: AbortSignal,
  firstError: unknown,
  start: number,
): Promise<T> {
  const {
    maxAttempts = 3,
    initialDelayMs = 100,
    maxDelayMs = 10_000,
    multiplier = 2,
    jitter = 'full',
    maxElapsedMs,
    retryIf = byClassification,
  } = policy;
  const errors: unknown[] = [firstError];
  let error = firstError;
  for (let number = 2; ; number++) {
    if (signal.aborted) throw signal.reason;
    if (!retryIf(error)) throw error;
    if (number > maxAttempts) throw new RetryError(errors);
    const hint = retryAfterHint(error);
    if (hint !== undefined && hint > maxDelayMs) {
      throw new RetryError(errors, `after ${errors.length} attempts (Retry-After of ${hint} ms)`);
    }
    const delay = hint ?? backoffDelay(number - 1, initialDelayMs, multiplier, maxDelayMs, jitter);
    if (maxElapsedMs !== undefined && performance.now() - start + delay > maxElapsedMs) {
      throw new RetryError(
        errors,
        `after ${errors.length} attempts (maxElapsedMs ${maxElapsedMs})`,
      );
    }
    trace.getActiveSpan()?.addEvent(
      'retry',
      {
        'retry.attempt': number,
        'retry.delay_ms': delay,
        'error.type': errorTypeAttribute(error),
      },
      preciseNow(),
    );
    await sleep(delay, signal);
    try {
      return await fn({ number, signal });
    } catch (next) {
      error = next;
      errors.push(next);
    }
  }
}

/**
 * Waits `ms`, or rejects with `signal.reason` the moment it aborts. The timer
 * is deliberately ref'd: the wait is the pending work, and an unref'd one
 * would let Node exit in the middle of a retry.
 */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(ms, 2_147_483_647),
    );
    if (signal !== NEVER_ABORTED) signal.addEventListener('abort', onAbort, { once: true });
  });
}
