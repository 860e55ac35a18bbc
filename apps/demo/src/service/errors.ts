import type { Attributes } from '@opentelemetry/api';
import { CategorizedError, type ErrorCategory } from 'otelkit';

const STATUS: Partial<Record<ErrorCategory, number>> = {
  validation: 400,
  not_found: 404,
  conflict: 409,
};

/** A classified error that also tells the HTTP layer which status to answer. */
export class ApiError extends CategorizedError {
  readonly statusCode: number;

  constructor(message: string, category: ErrorCategory, code: string, cause?: unknown) {
    super(message, { category, code, severity: 'low', ...(cause === undefined ? {} : { cause }) });
    this.name = 'ApiError';
    this.statusCode = STATUS[category] ?? 500;
  }
}

/** A failed query: carries its own span attributes, as the Go guide's `ToSpanAttributes` does. */
export class DatabaseError extends Error {
  readonly operation: string;
  readonly collection: string;

  constructor(message: string, operation: string, collection: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'DatabaseError';
    this.operation = operation;
    this.collection = collection;
  }

  toSpanAttributes(): Attributes {
    return {
      'db.system.name': 'sqlite',
      'db.operation.name': this.operation,
      'db.collection.name': this.collection,
    };
  }
}
