import { type Attributes, type MeterProvider, metrics } from '@opentelemetry/api';
import { VERSION } from '../internal/version.ts';
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

interface Tally {
  readonly attributes: Attributes;
  count: number;
}

/** Errors already counted: an error recorded on every span it fails, or wrapped, counts once. */
const counted = new WeakSet<object>();
const types = new Set<string>();
let provider: MeterProvider | undefined;
let tallies = new Map<string, Tally>();

/**
 * Adds one to `otelkit.errors` with `error.type` (at most `MAX_ERROR_TYPES`
 * values, then `_OTHER`), `error.category`, `error.severity` and
 * `error.retryable` (`unknown`, `medium`, `false` when no rule matched),
 * unless an error of the chain was counted before.
 *
 * The counts are kept here and observed by an asynchronous counter at each
 * collection: a map lookup per error instead of the SDK's attribute hashing,
 * which cost a third of `recordError`.
 */
export function countError(
  chain: readonly unknown[],
  type: string,
  classification: Classification | undefined,
): void {
  for (const link of chain) if (hasFields(link) && counted.has(link)) return;
  // The outer error stands for its causes, which were looked up above.
  if (hasFields(chain[0])) counted.add(chain[0]);
  if (!types.has(type)) {
    if (types.size >= MAX_ERROR_TYPES) type = '_OTHER';
    else types.add(type);
  }
  const category = classification?.category ?? 'unknown';
  const severity = classification?.severity ?? 'medium';
  const retryable = classification?.retryable ?? false;
  const current = metrics.getMeterProvider();
  if (current !== provider) observe(current);
  const key = `${type}\u0000${category}\u0000${severity}\u0000${retryable}`;
  const tally = tallies.get(key);
  if (tally !== undefined) {
    tally.count++;
    return;
  }
  tallies.set(key, {
    attributes: {
      'error.type': type,
      'error.category': category,
      'error.severity': severity,
      'error.retryable': retryable,
    },
    count: 1,
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

/** Starts counting afresh for a newly registered meter provider, observed by its own counter. */
function observe(meterProvider: MeterProvider): void {
  provider = meterProvider;
  const own = new Map<string, Tally>();
  tallies = own;
  meterProvider
    .getMeter('otelkit', VERSION)
    .createObservableCounter('otelkit.errors', {
      description:
        'Errors recorded by recordError, each error and the errors it wraps counted once',
      unit: '{error}',
    })
    .addCallback((result) => {
      for (const tally of own.values()) result.observe(tally.count, tally.attributes);
    });
}
