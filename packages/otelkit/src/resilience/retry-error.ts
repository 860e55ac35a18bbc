import { errorMessage } from '../errors/describe-error.ts';
import { hasBrand } from '../internal/brand.ts';

const BRAND = Symbol.for('otelkit.RetryError');

/**
 * What `retry()` rejects with when it gives up on a retryable failure: the
 * attempts made, every error in order, and the last one as `cause`.
 *
 * @example
 * if (isRetryError(error)) log.warn({ attempts: error.attempts }, 'payment provider unavailable');
 */
export class RetryError extends Error {
  override name = 'RetryError';
  /** How many attempts were made. */
  readonly attempts: number;
  /** The error of each attempt, first to last. */
  readonly errors: readonly unknown[];
  readonly [BRAND] = true;

  constructor(errors: readonly unknown[], reason = `after ${errors.length} attempts`) {
    const last = errors[errors.length - 1];
    super(`Gave up ${reason}: ${errorMessage(last)}`, { cause: last });
    this.attempts = errors.length;
    this.errors = errors;
  }
}

/** True for a `RetryError`, even one from another installed copy of otelkit. */
export function isRetryError(error: unknown): error is RetryError {
  return hasBrand(error, BRAND);
}
