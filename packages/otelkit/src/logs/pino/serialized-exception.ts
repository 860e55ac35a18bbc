import type { Attributes } from '@opentelemetry/api';

/** An error as a line holds it: pino's serialization (`type`, `message`, `stack`, …), plus otelkit's `chain`. */
export interface SerializedError {
  readonly type?: unknown;
  readonly message?: unknown;
  readonly stack?: unknown;
  readonly chain?: unknown;
}

interface Link {
  readonly type: string;
  readonly message: string | undefined;
}

/** Whether a line's member under `errorKey` reads as a serialized error (it has a type, a message or a stack). */
export function isSerializedError(value: unknown): value is SerializedError {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { type, message, stack } = value as SerializedError;
  return typeof type === 'string' || typeof message === 'string' || typeof stack === 'string';
}

/**
 * Adds the `exception.*` attributes of an error from what the line holds of
 * it, never from the error object: `exception.type`, `exception.message` (the
 * error's own message), `exception.stacktrace` and, from `chain`,
 * `exception.chain.types` / `exception.chain.messages`. pino writes the
 * message followed by the causes' (`outer: inner`); when the line's message
 * no longer starts with the chain's first one (a `redact` path or a
 * serializer changed it), the record keeps the line's message and leaves the
 * chain's messages out.
 */
export function addSerializedException(attributes: Attributes, error: SerializedError): void {
  const chain = linksOf(error.chain);
  const type = chain?.[0]?.type ?? stringOr(error.type);
  const lineMessage = stringOr(error.message);
  const own = chain?.[0]?.message;
  const intact = own !== undefined && lineMessage?.startsWith(own) === true;
  const message = intact ? own : lineMessage;
  const stack = stringOr(error.stack);
  if (type !== undefined) attributes['exception.type'] = type;
  if (message !== undefined) attributes['exception.message'] = message;
  if (stack !== undefined) attributes['exception.stacktrace'] = stack;
  if (chain !== undefined) {
    attributes['exception.chain.types'] = chain.map((link) => link.type);
    if (intact) attributes['exception.chain.messages'] = chain.map((link) => link.message ?? '');
    return;
  }
  if (type !== undefined) attributes['exception.chain.types'] = [type];
  if (message !== undefined) attributes['exception.chain.messages'] = [message];
}

/** The chain's links when every one has a type, else `undefined`. */
function linksOf(value: unknown): Link[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const links: Link[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { type, message } = item as { type?: unknown; message?: unknown };
    if (typeof type !== 'string') return undefined;
    links.push({ type, message: stringOr(message) });
  }
  return links;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
