import { isCategorizedError } from './categorized-error.ts';
import type { ClassificationInit } from './classify-error.ts';
import { readProperty } from './describe-error.ts';

type DefaultRule = readonly [
  match: (error: unknown) => boolean,
  classify: (error: unknown) => ClassificationInit | undefined,
];

/** Node's error codes for network failures worth retrying. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** HTTP statuses the default rules know; any other status falls through. */
const HTTP_STATUSES: ReadonlyMap<number, ClassificationInit> = new Map<number, ClassificationInit>([
  [400, { category: 'validation', severity: 'low' }],
  [401, { category: 'authentication', severity: 'low' }],
  [403, { category: 'authorization', severity: 'low' }],
  [404, { category: 'not_found', severity: 'low' }],
  [409, { category: 'conflict', severity: 'low' }],
  [429, { category: 'rate_limit', retryable: true }],
  [502, { category: 'external', retryable: true }],
  [503, { category: 'external', retryable: true }],
  [504, { category: 'timeout', retryable: true }],
]);

const isObject = (error: unknown): error is object => typeof error === 'object' && error !== null;

function httpStatus(error: unknown): number | undefined {
  if (!isObject(error)) return undefined;
  const status = readProperty(error, 'status') ?? readProperty(error, 'statusCode');
  return typeof status === 'number' ? status : undefined;
}

/**
 * The rules of `classifyError`, in order. Kept as data so the classifier
 * module builds them without an import cycle.
 */
export const DEFAULT_RULES: readonly DefaultRule[] = [
  [
    isCategorizedError,
    (error) => {
      const e = error as Record<string, unknown>;
      return {
        category: readProperty(e, 'category') as ClassificationInit['category'],
        severity: readProperty(e, 'severity') as ClassificationInit['severity'],
        retryable: readProperty(e, 'retryable') === true,
        code: readProperty(e, 'code') as string | undefined,
      };
    },
  ],
  [
    (error) => isObject(error) && readProperty(error, 'name') === 'AbortError',
    () => ({ category: 'cancelled', severity: 'low', code: 'AbortError' }),
  ],
  [
    (error) => isObject(error) && readProperty(error, 'name') === 'TimeoutError',
    () => ({ category: 'timeout', retryable: true, code: 'TimeoutError' }),
  ],
  [
    (error) => isObject(error) && NETWORK_CODES.has(readProperty(error, 'code') as string),
    (error) => ({
      category: 'network',
      retryable: true,
      code: readProperty(error as object, 'code') as string,
    }),
  ],
  [
    (error) => httpStatus(error) !== undefined,
    (error) => {
      const status = httpStatus(error)!;
      const known = HTTP_STATUSES.get(status);
      return known && { ...known, code: `HTTP_${status}` };
    },
  ],
];
