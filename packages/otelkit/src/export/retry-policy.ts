import { backoffDelay } from '../resilience/retry-delay.ts';
import type { Failed } from './attempt-result.ts';

/** The longest wait between two attempts of one request. */
const MAX_BACKOFF_MS = 30_000;
/** The longest wait before reconnecting to a backend while the process ends. */
const ENDING_RECONNECT_MS = 20;
/** The first backoff with the default retry budget. */
const INITIAL_BACKOFF_MS = 1000;

/**
 * When to try a failed request again, by the OTLP/HTTP specification:
 * exponential backoff with full jitter, or the server's `Retry-After` when it
 * gave one, and never past the request's total retry time.
 */
export class RetryPolicy {
  readonly #budgetMs: number;
  readonly #initialMs: number;
  readonly #random: () => number;

  /**
   * @param budgetMs the total retry time of one request (`maxRetryTimeMs`).
   * A short budget starts with a shorter backoff, so a few attempts still fit.
   */
  constructor(budgetMs: number, random: () => number = Math.random) {
    this.#budgetMs = budgetMs;
    this.#initialMs = Math.min(INITIAL_BACKOFF_MS, budgetMs / 10);
    this.#random = random;
  }

  /**
   * The wait before retry number `retry` (1 for the first), or `undefined`
   * to give up because it would end past the budget; `elapsedMs` counts from
   * the first attempt.
   */
  delay(retry: number, elapsedMs: number, retryAfterMs: number | undefined): number | undefined {
    const wait =
      retryAfterMs ?? backoffDelay(retry, this.#initialMs, 2, MAX_BACKOFF_MS, 'full', this.#random);
    return elapsedMs + wait > this.#budgetMs ? undefined : wait;
  }

  /**
   * The wait before a retry while the process is ending: a connection that
   * broke (reset, closed) is tried again almost at once, since a new one tells
   * quickly whether the backend is still there (refused: not retried) and no
   * backoff may hold up the end; a busy or slow backend keeps its backoff.
   */
  static whileEnding(delay: number, failure: Failed): number {
    const broken = failure.status === undefined && failure.errorType !== 'timeout';
    return broken ? Math.min(delay, ENDING_RECONNECT_MS) : delay;
  }
}
