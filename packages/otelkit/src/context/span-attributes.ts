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
  #merged: MergedAttributes | undefined;

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

  merged(): MergedAttributes {
    this.#merged ??= merge(this);
    return this.#merged;
  }
}

interface MergedAttributes {
  readonly attributes: Attributes;
  readonly keys: readonly string[];
  /** Every value is a string, number or boolean under a non-empty key: valid as is. */
  readonly scalar: boolean;
}

function merge(state: InheritedState): MergedAttributes {
  const base = state.parent?.merged().attributes;
  const attributes: Attributes =
    state.attribute === undefined
      ? { ...base, ...state.added }
      : { ...base, [state.attribute]: state.value };
  const keys = Object.keys(attributes);
  const scalar = keys.every((key) => key !== '' && isScalar(attributes[key]));
  return { attributes, keys, scalar };
}

function stateOf(ctx: Context): InheritedState | undefined {
  return ctx.getValue(SPAN_ATTRIBUTES) as InheritedState | undefined;
}

function isScalar(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

/** The attributes that spans started in `ctx` inherit, if any. */
export function getInheritedAttributes(ctx: Context): Attributes | undefined {
  return stateOf(ctx)?.merged().attributes;
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

/** The fields of the 3.x SDK's span that `setAttribute` itself maintains. */
interface SdkSpanFields {
  attributes?: Attributes;
  _attributesCount?: number;
  _spanLimits?: { attributeCountLimit?: number; attributeValueLengthLimit?: number };
}

/**
 * The SDK's `setAttribute` validates and copies each value on every call: for
 * three keys that alone made span starts 35% slower (bench/context). These
 * values were checked once, when set, so on the 3.x SDK's span they are
 * written the way `setAttribute` writes them: the attributes object and its
 * count. Any other span shape, a value-length limit, or a count limit within
 * reach returns false, and the caller takes the public path.
 */
function addScalarAttributes(span: Span, merged: MergedAttributes): boolean {
  const fields = span as unknown as SdkSpanFields;
  const target = fields.attributes;
  const count = fields._attributesCount;
  const limits = fields._spanLimits;
  if (typeof target !== 'object' || typeof count !== 'number' || limits === undefined) return false;
  if (limits.attributeValueLengthLimit !== Number.POSITIVE_INFINITY) return false;
  const { keys } = merged;
  if (count === 0) {
    // The common case: a fresh span with no attributes of its own gets a clone.
    if (keys.length > (limits.attributeCountLimit ?? 128)) return false;
    fields.attributes = { ...merged.attributes };
    fields._attributesCount = keys.length;
    return true;
  }
  let added = 0;
  for (let i = 0; i < keys.length; i++) if (!Object.hasOwn(target, keys[i]!)) added++;
  if (count + added > (limits.attributeCountLimit ?? 128)) return false;
  Object.assign(target, merged.attributes);
  fields._attributesCount = count + added;
  return true;
}

/**
 * Adds the context's inherited attributes to every span when it starts.
 * Installed by `setup()` and `createTestTelemetry()`; add it yourself to a
 * tracer provider you build by hand.
 */
export class ContextAttributesSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const state = stateOf(parentContext);
    if (state === undefined) return;
    const merged = state.merged();
    if (!merged.scalar || !addScalarAttributes(span, merged)) span.setAttributes(merged.attributes);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
