/**
 * Safe readers for thrown values. A thrown value can be anything: a frozen
 * object, a Proxy whose traps throw, an object with hostile getters or no
 * prototype. Every read here is guarded, so describing an error never throws.
 */

/** `value[key]`, or `undefined` when reading it throws. */
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

/**
 * The type of a thrown value: an error's `name` (or its class name when the
 * name was left as plain `Error`), `typeof` for primitives, `null` for null.
 */
export function errorType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return typeof value;
  const name = readProperty(value, 'name');
  if (typeof name === 'string' && name !== '' && name !== 'Error') return name;
  const ctor = readProperty(value, 'constructor');
  if (typeof ctor === 'function') {
    const className = readProperty(ctor, 'name');
    if (typeof className === 'string' && className !== '' && className !== 'Object') {
      return className;
    }
  }
  return typeof name === 'string' && name !== '' ? name : 'Object';
}

/** The message of a thrown value: an error's `message`, a string itself, or a short rendering. */
export function errorMessage(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') {
    const message = readProperty(value, 'message');
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

/** `error.type`: the error's `code` when it is a string, else its type. */
export function errorTypeAttribute(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const code = readProperty(value, 'code');
    if (typeof code === 'string' && code !== '') return code;
  }
  return errorType(value);
}

function objectTag(value: object): string {
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return '[object]';
  }
}
