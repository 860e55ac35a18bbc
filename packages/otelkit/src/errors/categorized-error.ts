import { hasBrand } from '../internal/brand.ts';

const BRAND = Symbol.for('otelkit.CategorizedError');

/** What kind of failure an error is, as recorded in the `error.category` span attribute. */
export type ErrorCategory =
  | 'validation'
  | 'authentication'
  | 'authorization'
  | 'not_found'
  | 'conflict'
  | 'rate_limit'
  | 'timeout'
  | 'cancelled'
  | 'network'
  | 'database'
  | 'external'
  | 'internal'
  | 'unknown';

/** How bad a failure is, as recorded in the `error.severity` span attribute. */
export type ErrorSeverity = 'low' | 'medium' | 'high' | 'critical';

/** Options of `new CategorizedError(message, options)`. */
export interface CategorizedErrorOptions {
  /** The kind of failure. */
  category: ErrorCategory;
  /** How bad it is. @default 'medium' */
  severity?: ErrorSeverity;
  /** A stable, low-cardinality code for this failure, e.g. `USER_EMAIL_TAKEN`. */
  code?: string;
  /** Whether trying again may succeed. @default false */
  retryable?: boolean;
  /** Extra facts for humans and logs; not copied to spans. */
  metadata?: Readonly<Record<string, unknown>>;
  /** The error this one wraps. */
  cause?: unknown;
}

/**
 * An error that carries its own classification, so every recorder and retry
 * policy treats it the same way.
 *
 * @example
 * throw new CategorizedError('email already taken', {
 *   category: 'conflict',
 *   code: 'USER_EMAIL_TAKEN',
 *   cause: dbError,
 * });
 */
export class CategorizedError extends Error {
  override name = 'CategorizedError';
  /** The kind of failure. */
  readonly category: ErrorCategory;
  /** How bad it is. */
  readonly severity: ErrorSeverity;
  /** A stable code for this failure, if one was given. */
  readonly code: string | undefined;
  /** Whether trying again may succeed. */
  readonly retryable: boolean;
  /** Extra facts for humans and logs. */
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly [BRAND] = true;

  constructor(message: string, options: CategorizedErrorOptions) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.category = options.category;
    this.severity = options.severity ?? 'medium';
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    this.metadata = options.metadata ?? {};
  }
}

/** True for a `CategorizedError`, even one from another installed copy of otelkit. */
export function isCategorizedError(error: unknown): error is CategorizedError {
  return hasBrand(error, BRAND);
}
