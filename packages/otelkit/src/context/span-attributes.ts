import { type Attributes, type Context, createContextKey } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * One context slot holds every attribute that spans started in that context
 * inherit (from typed context keys and `withAttributes`). A span start then
 * costs a single lookup, and nothing more when the slot is empty.
 */
const SPAN_ATTRIBUTES = createContextKey('otelkit.span-attributes');

/** The attributes that spans started in `ctx` inherit, if any. */
export function getInheritedAttributes(ctx: Context): Attributes | undefined {
  return ctx.getValue(SPAN_ATTRIBUTES) as Attributes | undefined;
}

/** A context whose new spans inherit `attributes` on top of what `ctx` already passes on. */
export function setInheritedAttributes(ctx: Context, attributes: Attributes): Context {
  const current = getInheritedAttributes(ctx);
  return ctx.setValue(SPAN_ATTRIBUTES, current ? { ...current, ...attributes } : attributes);
}

/**
 * Adds the context's inherited attributes to every span when it starts.
 * Installed by `setup()` and `createTestTelemetry()`; add it yourself to a
 * tracer provider you build by hand.
 */
export class ContextAttributesSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const attributes = getInheritedAttributes(parentContext);
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
