import { type Attributes, type Span, trace } from '@opentelemetry/api';
import { CLASSIFY_CHAIN, defaultErrorClassifier, type ErrorClassifier } from './classify-error.ts';
import {
  errorMessage,
  errorType,
  errorTypeAttribute,
  hasFields,
  spanAttributesMethodOf,
  stackOf,
} from './describe-error.ts';
import { collectChain } from './error-chain.ts';

/** Options of `recordError()`. */
export interface RecordErrorOptions {
  /** The span to record on. @default the active span */
  span?: Span;
  /** Extra attributes of the `exception` event; they win over the computed ones. */
  attributes?: Attributes;
  /** Rules that add `error.category`, `error.severity`, `error.code` and `error.retryable`. @default the rules of `classifyError` */
  classifier?: ErrorClassifier;
}

/** Implemented by errors that describe themselves on the span, e.g. with `db.system.name`. */
export interface SpanAttributesSource {
  toSpanAttributes(): Attributes;
}

/**
 * Records an error, with everything it wraps, on a span: one `exception`
 * event (`exception.type`, `exception.message`, the outer error's
 * `exception.stacktrace`, and `exception.chain.types` / `.messages` for the
 * whole chain), the `error.type` span attribute, the attributes of every error
 * in the chain that has `toSpanAttributes()`, and the classification when a
 * rule matches. Accepts any thrown value and never throws. It does not set
 * the span status: that is the caller's decision.
 *
 * @example
 * try {
 *   await saveUser(user);
 * } catch (error) {
 *   recordError(error);
 *   throw error;
 * }
 */
export function recordError(error: unknown, options?: RecordErrorOptions): void {
  try {
    const span = options?.span ?? trace.getActiveSpan();
    if (span === undefined || !span.isRecording()) return;
    const chain: unknown[] = [];
    collectChain(error, chain);
    const types: string[] = [];
    const messages: string[] = [];
    for (const link of chain) {
      types.push(errorType(link));
      messages.push(errorMessage(link));
    }
    // Constant keys keep this literal on V8's fast path; `undefined` values are dropped by the SDK.
    const event: Attributes = {
      'exception.type': types[0],
      'exception.message': messages[0],
      // Only the outer error's stack: formatting a stack is costly, and the
      // chain of types and messages says what the causes' stacks would.
      'exception.stacktrace': outerStack(error),
      'exception.chain.types': types,
      'exception.chain.messages': messages,
    };
    const extra = options?.attributes;
    span.addEvent('exception', extra === undefined ? event : { ...event, ...extra });
    span.setAttribute('error.type', errorTypeAttribute(error, types[0]));
    addOwnAttributes(span, chain);
    const classifier = options?.classifier ?? defaultErrorClassifier();
    const classification = classifier[CLASSIFY_CHAIN](chain);
    if (classification !== undefined) {
      span.setAttribute('error.category', classification.category);
      span.setAttribute('error.severity', classification.severity);
      span.setAttribute('error.retryable', classification.retryable);
      if (classification.code !== undefined) span.setAttribute('error.code', classification.code);
    }
  } catch {
    // Telemetry never throws into user code, even with a hostile span.
  }
}

function outerStack(error: unknown): string | undefined {
  if (!hasFields(error)) return undefined;
  const stack = stackOf(error);
  return typeof stack === 'string' ? stack : undefined;
}

/** Applies `toSpanAttributes()` of every error in the chain, innermost first, so outer errors win. */
function addOwnAttributes(span: Span, chain: unknown[]): void {
  for (let i = chain.length - 1; i >= 0; i--) {
    const error = chain[i];
    if (!hasFields(error)) continue;
    const describe = spanAttributesMethodOf(error);
    if (typeof describe !== 'function') continue;
    try {
      const attributes: unknown = describe.call(error);
      if (typeof attributes === 'object' && attributes !== null) {
        span.setAttributes(attributes as Attributes);
      }
    } catch {
      // A failing `toSpanAttributes` loses its attributes, not the record.
    }
  }
}
