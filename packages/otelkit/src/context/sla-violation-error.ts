import { hasBrand } from '../internal/brand.ts';

const BRAND = Symbol.for('otelkit.SlaViolationError');

/** Options of `new SlaViolationError()`. */
export interface SlaViolationErrorOptions {
  /** The operation that ran out of time. */
  operation: string;
  /** Its latency target, in milliseconds. */
  targetMs: number;
  /** How long it had run when it was cancelled, in milliseconds. */
  elapsedMs: number;
  /** The error this one wraps, if any. */
  cause?: unknown;
}

/**
 * The reason `withSla()` aborts its signal with when the operation passes its
 * `timeoutMs`: what callees see as `currentSignal().reason`.
 *
 * @example
 * if (isSlaViolation(error)) metrics.slaBreaches.add(1, { operation: error.operation });
 */
export class SlaViolationError extends Error {
  override name = 'SlaViolationError';
  /** The operation that ran out of time. */
  readonly operation: string;
  /** Its latency target, in milliseconds. */
  readonly targetMs: number;
  /** How long it had run when it was cancelled, in milliseconds. */
  readonly elapsedMs: number;
  readonly [BRAND] = true;

  constructor(options: SlaViolationErrorOptions) {
    super(
      `${options.operation} was cancelled after ${Math.round(options.elapsedMs)} ms (SLA target ${options.targetMs} ms)`,
      'cause' in options ? { cause: options.cause } : undefined,
    );
    this.operation = options.operation;
    this.targetMs = options.targetMs;
    this.elapsedMs = options.elapsedMs;
  }
}

/** True for a `SlaViolationError`, even one from another installed copy of otelkit. */
export function isSlaViolation(error: unknown): error is SlaViolationError {
  return hasBrand(error, BRAND);
}
