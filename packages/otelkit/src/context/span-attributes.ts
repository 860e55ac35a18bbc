import {
  type Attributes,
  type Context,
  createContextKey,
  type Link,
  SamplingDecision,
  type SpanKind,
} from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';

/**
 * One context slot holds every attribute that spans started in that context
 * inherit (from typed context keys and `withAttributes`), together with the
 * values of the keys that feed it. A span start then costs a single lookup,
 * and nothing more when the slot is empty; setting such a key costs a single
 * context copy, as a plain `ctx.setValue()` does.
 */
const SPAN_ATTRIBUTES = createContextKey('otelkit.span-attributes');

/**
 * One link of a chain: what a key's `set` or `withAttributes` added on top of
 * the context's previous state. Setting a value only allocates a link; the
 * merged attributes are built on the first span start in that context and
 * kept for the next ones.
 */
class InheritedState {
  readonly parent: InheritedState | undefined;
  /** The context key this link sets, or undefined for `withAttributes`. */
  readonly id: symbol | undefined;
  readonly value: unknown;
  readonly added: Attributes | undefined;
  readonly attribute: string | undefined;
  #merged: Attributes | undefined;

  constructor(
    parent: InheritedState | undefined,
    id: symbol | undefined,
    value: unknown,
    attribute: string | undefined,
    added: Attributes | undefined,
  ) {
    this.parent = parent;
    this.id = id;
    this.value = value;
    this.attribute = attribute;
    this.added = added;
  }

  /** Every attribute this state passes on, built once. */
  merged(): Attributes {
    this.#merged ??= merge(this);
    return this.#merged;
  }
}

function merge(state: InheritedState): Attributes {
  const base = state.parent?.merged();
  return state.attribute === undefined
    ? { ...base, ...state.added }
    : { ...base, [state.attribute]: state.value };
}

function stateOf(ctx: Context): InheritedState | undefined {
  return ctx.getValue(SPAN_ATTRIBUTES) as InheritedState | undefined;
}

/** The attributes that spans started in `ctx` inherit, if any. */
export function getInheritedAttributes(ctx: Context): Attributes | undefined {
  return stateOf(ctx)?.merged();
}

/** A context whose new spans inherit `attributes` on top of what `ctx` already passes on. */
export function setInheritedAttributes(ctx: Context, attributes: Attributes): Context {
  const state = new InheritedState(stateOf(ctx), undefined, undefined, undefined, attributes);
  return ctx.setValue(SPAN_ATTRIBUTES, state);
}

/** The value a context key with a span attribute holds in `ctx` (internal to context keys). */
export function getInheritedValue(ctx: Context, id: symbol): unknown {
  for (let state = stateOf(ctx); state !== undefined; state = state.parent) {
    if (state.id === id) return state.value;
  }
  return undefined;
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
  return ctx.setValue(
    SPAN_ATTRIBUTES,
    new InheritedState(stateOf(ctx), id, value, attribute, undefined),
  );
}

/**
 * A sampler that adds the context's inherited attributes (typed context keys,
 * `withAttributes`) to every span it records, around the sampler that decides.
 * The SDK copies a sampler's attributes into the span once, with the span's
 * own start attributes, which costs a fraction of a `setAttribute` per key.
 * Installed by `setup()` and `createTestTelemetry()`; wrap your own sampler in
 * it when you build a tracer provider by hand.
 *
 * @example
 * new NodeSDK({ sampler: new ContextAttributesSampler(new ParentBasedSampler({ root: new AlwaysOnSampler() })) });
 */
export class ContextAttributesSampler implements Sampler {
  readonly #inner: Sampler;

  constructor(inner: Sampler) {
    this.#inner = inner;
  }

  shouldSample(
    parentContext: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const result = this.#inner.shouldSample(
      parentContext,
      traceId,
      spanName,
      spanKind,
      attributes,
      links,
    );
    const state = stateOf(parentContext);
    if (state === undefined || result.decision === SamplingDecision.NOT_RECORD) return result;
    const inherited = state.merged();
    return {
      decision: result.decision,
      attributes:
        result.attributes === undefined ? inherited : { ...inherited, ...result.attributes },
      traceState: result.traceState,
    };
  }

  toString(): string {
    return `ContextAttributesSampler{${this.#inner.toString()}}`;
  }
}
