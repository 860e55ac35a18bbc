/**
 * Safe readers for thrown values. A thrown value can be anything: a frozen
 * object, a Proxy whose traps throw, an object with hostile getters or no
 * prototype. Every read here is guarded, so describing an error never throws.
 *
 * Each well-known field has its own reader: a named property load is several
 * times cheaper than `value[key]` with a variable key, and `recordError` reads
 * a handful of fields per error of the chain.
 */

interface ErrorFields {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly code?: unknown;
  readonly stack?: unknown;
  readonly errors?: unknown;
  readonly status?: unknown;
  readonly statusCode?: unknown;
  readonly toSpanAttributes?: unknown;
}

/** `value.name`, or `undefined` when reading it throws. */
export function nameOf(value: object): unknown {
  try {
    return (value as ErrorFields).name;
  } catch {
    return undefined;
  }
}

/** `value.message`, or `undefined` when reading it throws. */
export function messageOf(value: object): unknown {
  try {
    return (value as ErrorFields).message;
  } catch {
    return undefined;
  }
}

/** `value.cause`, or `undefined` when reading it throws. */
export function causeOf(value: object): unknown {
  try {
    return (value as ErrorFields).cause;
  } catch {
    return undefined;
  }
}

/** `value.code`, or `undefined` when reading it throws. */
export function codeOf(value: object): unknown {
  try {
    return (value as ErrorFields).code;
  } catch {
    return undefined;
  }
}

/** `value.stack`, or `undefined` when reading it throws. */
export function stackOf(value: object): unknown {
  try {
    return (value as ErrorFields).stack;
  } catch {
    return undefined;
  }
}

/** `value.errors` (of an `AggregateError`), or `undefined` when reading it throws. */
export function errorsOf(value: object): unknown {
  try {
    return (value as ErrorFields).errors;
  } catch {
    return undefined;
  }
}

/** An HTTP `status`, else `statusCode`, or `undefined` when reading throws. */
export function httpStatusOf(value: object): unknown {
  try {
    return (value as ErrorFields).status ?? (value as ErrorFields).statusCode;
  } catch {
    return undefined;
  }
}

/** `value.toSpanAttributes`, or `undefined` when reading it throws. */
export function spanAttributesMethodOf(value: object): unknown {
  try {
    return (value as ErrorFields).toSpanAttributes;
  } catch {
    return undefined;
  }
}

/** `value[key]` for any other key, or `undefined` when reading it throws. */
export function readProperty(value: object, key: PropertyKey): unknown {
  try {
    return (value as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `value instanceof type`, or `false` when the check throws (a Proxy's traps). */
export function isInstance(value: unknown, type: abstract new (...args: never[]) => unknown) {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

/** Objects and functions: the thrown values that can have fields. */
export function hasFields(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * The type of a thrown value: an error's `name` (or its class name when the
 * name was left as plain `Error`), `typeof` for primitives, `null` for null.
 */
export function errorType(value: unknown): string {
  if (value === null) return 'null';
  if (!hasFields(value)) return typeof value;
  const name = nameOf(value);
  if (typeof name === 'string' && name !== '' && name !== 'Error') return name;
  const ctor = readProperty(value, 'constructor');
  if (typeof ctor === 'function' && ctor !== Error && ctor !== Object) {
    const className = readProperty(ctor, 'name');
    if (typeof className === 'string' && className !== '') return className;
  }
  return typeof name === 'string' && name !== '' ? name : 'Object';
}

/** The message of a thrown value: an error's `message`, a string itself, or a short rendering. */
export function errorMessage(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') {
    const message = messageOf(value);
    if (typeof message === 'string') return message;
    try {
      return JSON.stringify(value)?.slice(0, 1024) ?? objectTag(value);
    } catch {
      return objectTag(value);
    }
  }
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

/** `error.type`: the error's `code` when it is a non-empty string, else its type. */
export function errorTypeAttribute(value: unknown, type = errorType(value)): string {
  if (hasFields(value)) {
    const code = codeOf(value);
    if (typeof code === 'string' && code !== '') return code;
  }
  return type;
}

function objectTag(value: object): string {
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return '[object]';
  }
}
