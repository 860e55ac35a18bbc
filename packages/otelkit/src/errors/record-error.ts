import { type Attributes, type Span, type SpanContext, trace } from '@opentelemetry/api';
import { preciseNow } from '../internal/clock.ts';
import { CLASSIFY_CHAIN, defaultErrorClassifier, type ErrorClassifier } from './classify-error.ts';
import { errorTypeAttribute, hasFields, spanAttributesMethodOf } from './describe-error.ts';
import { collectChain } from './error-chain.ts';
import { countError, countUnrecordedError } from './error-counter.ts';
import { exceptionAttributes } from './exception-attributes.ts';

/** Errors recorded on a span, with the first span that recorded them: one error, one `exception` event. */
const recordedOn = new WeakMap<object, SpanContext>();

/**
 * The span that recorded `error` first, when `recordError` recorded it: a
 * crash handler links to it instead of recording the error a second time.
 */
export function spanThatRecorded(error: unknown): SpanContext | undefined {
  return hasFields(error) ? recordedOn.get(error) : undefined;
}

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
    if (span === undefined || !span.isRecording()) {
      countUnrecordedError(error, options?.classifier);
      return;
    }
    const chain: unknown[] = [];
    collectChain(error, chain);
    const event = exceptionAttributes(error, chain);
    const extra = options?.attributes;
    span.addEvent('exception', extra === undefined ? event : { ...event, ...extra }, preciseNow());
    if (hasFields(error) && !recordedOn.has(error)) recordedOn.set(error, span.spanContext());
    span.setAttribute('error.type', errorTypeAttribute(error, event['exception.type'] as string));
    addOwnAttributes(span, chain);
    const classifier = options?.classifier ?? defaultErrorClassifier();
    const classification = classifier[CLASSIFY_CHAIN](chain);
    if (classification !== undefined) {
      span.setAttribute('error.category', classification.category);
      span.setAttribute('error.severity', classification.severity);
      span.setAttribute('error.retryable', classification.retryable);
      if (classification.code !== undefined) span.setAttribute('error.code', classification.code);
    }
    countError(chain, errorTypeAttribute(error, event['exception.type'] as string), classification);
  } catch {
    // Telemetry never throws into user code, even with a hostile span.
  }
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
