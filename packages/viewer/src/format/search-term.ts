/**
 * What the trace search matches, as 52-bit hashes: a trace is indexed by the terms of its spans
 * and resources, and a query asks for the terms of its conditions. 52 bits make a false match
 * vanishingly rare (about one in 10^15 per term compared) while each term fits in a double.
 */

// Two 32-bit multiplicative hashes over the UTF-16 code units of the parts, each part followed
// by a separator, joined into 52 bits. Hashing the parts in place saves building the text.
let h1 = 0;
let h2 = 0;

function start(kind: number): void {
  h1 = Math.imul(0x811c9dc5 ^ kind, 0x01000193);
  h2 = Math.imul(0x9747b28c ^ kind, 0x5bd1e995);
  h2 ^= h2 >>> 15;
}

function mix(part: string): void {
  for (let i = 0; i <= part.length; i++) {
    const c = i < part.length ? part.charCodeAt(i) : 0xffff;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
}

function finish(): number {
  return (h1 >>> 0) * 0x100000 + (h2 >>> 12);
}

function hashParts(kind: number, a: string, b?: string): number {
  start(kind);
  mix(a);
  if (b !== undefined) mix(b);
  return finish();
}

/** A span or resource attribute `key` with the text `value` (ints in decimal, bools as words). */
export function attributeTerm(key: string, value: string): number {
  return hashParts(1, key, value);
}

/** A span from `service`. */
export function serviceTerm(service: string): number {
  return hashParts(2, service);
}

/** A span named `name`, from `service` when given. */
export function operationTerm(name: string, service?: string): number {
  return service === undefined ? hashParts(3, name) : hashParts(4, service, name);
}
