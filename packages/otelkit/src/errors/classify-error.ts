import type { ErrorCategory, ErrorSeverity } from './categorized-error.ts';
import { builtInClassification } from './default-rules.ts';
import { isInstance, readProperty } from './describe-error.ts';
import { collectChain } from './error-chain.ts';

/** What an error means to the code that handles it; recorded as `error.*` span attributes. */
export interface Classification {
  /** The kind of failure (`error.category`). */
  readonly category: ErrorCategory;
  /** How bad it is (`error.severity`). */
  readonly severity: ErrorSeverity;
  /** Whether trying again may succeed (`error.retryable`). */
  readonly retryable: boolean;
  /** A stable code for the failure, if known (`error.code`). */
  readonly code?: string | undefined;
}

/** What a rule gives: a category, with severity `medium` and not retryable unless said. */
export interface ClassificationInit {
  readonly category: ErrorCategory;
  /** @default 'medium' */
  readonly severity?: ErrorSeverity;
  /** @default false */
  readonly retryable?: boolean;
  readonly code?: string | undefined;
}

/** A rule's result: a fixed classification, or one computed from the matched error (`undefined`: no match after all). */
export type ClassificationRule<E> =
  | ClassificationInit
  | ((error: E) => ClassificationInit | undefined);

/** Options of `new ErrorClassifier()`. */
export interface ErrorClassifierOptions {
  /** Fall back to the built-in rules of `classifyError` when none of yours match. @default false */
  includeDefaults?: boolean;
}

interface Rule {
  readonly match: (error: unknown) => boolean;
  readonly classify: ClassificationRule<unknown>;
}

const UNKNOWN: Classification = Object.freeze({
  category: 'unknown',
  severity: 'medium',
  retryable: false,
});

/** Internal entry for `recordError`, which has already walked the chain. */
export const CLASSIFY_CHAIN = Symbol('otelkit.classifyChain');

/**
 * Ordered rules that turn errors into a `Classification`. `classify` walks
 * the error's cause chain, outer error first, and returns the first rule
 * match; with none, `unknown` and not retryable.
 *
 * @example
 * const classifier = new ErrorClassifier({ includeDefaults: true })
 *   .add(PaymentDeclinedError, { category: 'external', severity: 'low' })
 *   .add((e) => e instanceof Error && e.message.includes('deadlock'), {
 *     category: 'database',
 *     retryable: true,
 *   });
 * classifier.classify(error).retryable;
 */
export class ErrorClassifier {
  readonly #rules: Rule[] = [];
  readonly #fallback: ErrorClassifier | undefined;

  constructor(options: ErrorClassifierOptions = {}) {
    this.#fallback = options.includeDefaults ? defaultClassifier() : undefined;
  }

  /** Adds a rule after the existing ones: an `Error` subclass to match with `instanceof`, or a predicate. */
  add<E>(match: (error: unknown) => error is E, classification: ClassificationRule<E>): this;
  add(match: (error: unknown) => boolean, classification: ClassificationRule<unknown>): this;
  add<E extends Error>(
    match: abstract new (...args: never[]) => E,
    classification: ClassificationRule<E>,
  ): this;
  add(
    match: ((error: unknown) => boolean) | (abstract new (...args: never[]) => unknown),
    classification: ClassificationRule<never>,
  ): this {
    const test = isErrorClass(match)
      ? (error: unknown) => isInstance(error, match)
      : (match as (error: unknown) => boolean);
    this.#rules.push({ match: test, classify: classification as ClassificationRule<unknown> });
    return this;
  }

  /** The classification of the first error in the chain that a rule matches, else `unknown`. */
  classify(error: unknown): Classification {
    const chain: unknown[] = [];
    collectChain(error, chain);
    return this[CLASSIFY_CHAIN](chain) ?? UNKNOWN;
  }

  /** The first match over an already collected chain, or `undefined`. */
  [CLASSIFY_CHAIN](chain: readonly unknown[]): Classification | undefined {
    for (const error of chain) {
      const found = this.#classifyOne(error);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  #classifyOne(error: unknown): Classification | undefined {
    for (const rule of this.#rules) {
      const found = apply(rule, error);
      if (found !== undefined) return found;
    }
    return this.#fallback === undefined ? undefined : this.#fallback.#classifyOne(error);
  }
}

let defaults: ErrorClassifier | undefined;

/** The built-in classifier behind `classifyError`. */
function defaultClassifier(): ErrorClassifier {
  if (defaults === undefined) {
    defaults = new ErrorClassifier().add(() => true, builtInClassification);
  }
  return defaults;
}

/**
 * Classifies an error with the built-in rules: `CategorizedError` (its own
 * fields), `AbortError` and `TimeoutError`, Node's network error codes, and
 * an HTTP `status`/`statusCode`, looking through the cause chain.
 *
 * @example
 * if (classifyError(error).retryable) await retryLater();
 */
export function classifyError(error: unknown): Classification {
  return defaultClassifier().classify(error);
}

/** The default classifier, for `recordError`. */
export function defaultErrorClassifier(): ErrorClassifier {
  return defaultClassifier();
}

function apply(rule: Rule, error: unknown): Classification | undefined {
  try {
    if (!rule.match(error)) return undefined;
    const init = typeof rule.classify === 'function' ? rule.classify(error) : rule.classify;
    if (init === undefined) return undefined;
    return {
      category: init.category,
      severity: init.severity ?? 'medium',
      retryable: init.retryable ?? false,
      code: init.code,
    };
  } catch {
    return undefined;
  }
}

function isErrorClass(match: unknown): match is abstract new (...args: never[]) => unknown {
  return (
    match === Error ||
    (typeof match === 'function' && isInstance(readProperty(match, 'prototype'), Error))
  );
}
