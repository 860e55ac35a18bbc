import { isCategorizedError } from './categorized-error.ts';
import type { Classification, ClassificationInit } from './classify-error.ts';
import { codeOf, hasFields, httpStatusOf, nameOf, readProperty } from './describe-error.ts';

/** Node's error codes for network failures worth retrying. */
const NETWORK_CODES: ReadonlySet<unknown> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const classification = (
  category: Classification['category'],
  severity: Classification['severity'],
  retryable: boolean,
  code?: string,
): Classification => Object.freeze({ category, severity, retryable, code });

/** HTTP statuses the built-in rules know; any other status falls through. */
const HTTP_STATUSES: ReadonlyMap<unknown, Classification> = new Map(
  (
    [
      [400, 'validation', 'low', false],
      [401, 'authentication', 'low', false],
      [403, 'authorization', 'low', false],
      [404, 'not_found', 'low', false],
      [409, 'conflict', 'low', false],
      [429, 'rate_limit', 'medium', true],
      [502, 'external', 'medium', true],
      [503, 'external', 'medium', true],
      [504, 'timeout', 'medium', true],
    ] as const
  ).map(([status, category, severity, retryable]) => [
    status,
    classification(category, severity, retryable, `HTTP_${status}`),
  ]),
);

const CANCELLED = classification('cancelled', 'low', false, 'AbortError');
const TIMED_OUT = classification('timeout', 'medium', true, 'TimeoutError');

/**
 * The rules of `classifyError`, as one function that reads each field of the
 * error once (it runs for every error of every recorded chain):
 * `CategorizedError` (its own fields), `AbortError`, `TimeoutError`, Node's
 * network error codes, then a known HTTP `status` or `statusCode`.
 */
export function builtInClassification(error: unknown): ClassificationInit | undefined {
  if (!hasFields(error)) return undefined;
  if (isCategorizedError(error)) {
    return {
      category: readProperty(error, 'category') as Classification['category'],
      severity: readProperty(error, 'severity') as Classification['severity'],
      retryable: readProperty(error, 'retryable') === true,
      code: readProperty(error, 'code') as string | undefined,
    };
  }
  const name = nameOf(error);
  if (name === 'AbortError') return CANCELLED;
  if (name === 'TimeoutError') return TIMED_OUT;
  const code = codeOf(error);
  if (NETWORK_CODES.has(code)) {
    return { category: 'network', severity: 'medium', retryable: true, code: code as string };
  }
  const status = httpStatusOf(error);
  return status === undefined ? undefined : HTTP_STATUSES.get(status);
}
