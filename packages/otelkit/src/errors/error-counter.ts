import type { Attributes } from '@opentelemetry/api';
import { counter } from '../metrics/instruments.ts';
import {
  CLASSIFY_CHAIN,
  type Classification,
  defaultErrorClassifier,
  type ErrorClassifier,
} from './classify-error.ts';
import { errorTypeAttribute, hasFields } from './describe-error.ts';
import { collectChain } from './error-chain.ts';

/** Distinct `error.type` values the counter records per process; the rest become `_OTHER`. */
export const MAX_ERROR_TYPES = 100;

const errors = counter<Attributes>('otelkit.errors', {
  description: 'Errors recorded by recordError, each error and the errors it wraps counted once',
  unit: '{error}',
});
/** Errors already counted, with their causes: an error recorded on every span it passes, or wrapped, counts once. */
const counted = new WeakSet<object>();
const types = new Set<string>();

/**
 * Adds one to `otelkit.errors` with `error.type` (at most `MAX_ERROR_TYPES`
 * values, then `_OTHER`), `error.category`, `error.severity` and
 * `error.retryable` (`unknown`, `medium`, `false` when no rule matched),
 * unless an error of the chain was counted before.
 */
export function countError(
  chain: readonly unknown[],
  type: string,
  classification: Classification | undefined,
): void {
  for (const link of chain) if (hasFields(link) && counted.has(link)) return;
  for (const link of chain) if (hasFields(link)) counted.add(link);
  if (!types.has(type)) {
    if (types.size >= MAX_ERROR_TYPES) type = '_OTHER';
    else types.add(type);
  }
  errors.add(1, {
    'error.type': type,
    'error.category': classification?.category ?? 'unknown',
    'error.severity': classification?.severity ?? 'medium',
    'error.retryable': classification?.retryable ?? false,
  });
}

/**
 * Counts an error that no span records (none active, or not sampled): the
 * metric must not depend on trace sampling.
 */
export function countUnrecordedError(error: unknown, classifier?: ErrorClassifier): void {
  const chain: unknown[] = [];
  collectChain(error, chain);
  const classification = (classifier ?? defaultErrorClassifier())[CLASSIFY_CHAIN](chain);
  countError(chain, errorTypeAttribute(error), classification);
}
