import { type Attributes, type Context, createContextKey } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * One context slot holds every attribute that spans started in that context
 * inherit (from typed context keys and `withAttributes`), together with the
 * values of the keys that feed it. A span start then costs a single lookup,
 * and nothing more when the slot is empty; setting such a key costs a single
 * context copy, as a plain `ctx.setValue()` does.
 */
const SPAN_ATTRIBUTES = createContextKey('otelkit.span-attributes');

interface InheritedState {
  readonly attributes: Attributes;
  /** Values of the context keys that have a span attribute, by key identity. */
  readonly values: Readonly<Record<symbol, unknown>> | undefined;
}

function stateOf(ctx: Context): InheritedState | undefined {
  return ctx.getValue(SPAN_ATTRIBUTES) as InheritedState | undefined;
}

/** The attributes that spans started in `ctx` inherit, if any. */
export function getInheritedAttributes(ctx: Context): Attributes | undefined {
  return stateOf(ctx)?.attributes;
}

/** A context whose new spans inherit `attributes` on top of what `ctx` already passes on. */
export function setInheritedAttributes(ctx: Context, attributes: Attributes): Context {
  const current = stateOf(ctx);
  const state: InheritedState = current
    ? { attributes: { ...current.attributes, ...attributes }, values: current.values }
    : { attributes, values: undefined };
  return ctx.setValue(SPAN_ATTRIBUTES, state);
}

/** The value a context key with a span attribute holds in `ctx` (internal to context keys). */
export function getInheritedValue(ctx: Context, id: symbol): unknown {
  return stateOf(ctx)?.values?.[id];
}

/**
 * A context where the key `id` holds `value` and new spans inherit it as
 * `attribute`, in one context copy (internal to context keys).
 */
export function setInheritedValue(
  ctx: Context,
  id: symbol,
  attribute: string,
  value: unknown,
): Context {
  const current = stateOf(ctx);
  const state: InheritedState = current
    ? {
        attributes: { ...current.attributes, [attribute]: value },
        values: { ...current.values, [id]: value },
      }
    : { attributes: { [attribute]: value }, values: { [id]: value } };
  return ctx.setValue(SPAN_ATTRIBUTES, state);
}

/**
 * Adds the context's inherited attributes to every span when it starts.
 * Installed by `setup()` and `createTestTelemetry()`; add it yourself to a
 * tracer provider you build by hand.
 */
export class ContextAttributesSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const attributes = stateOf(parentContext)?.attributes;
    if (attributes !== undefined) span.setAttributes(attributes);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
