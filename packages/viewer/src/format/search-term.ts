/**
 * What the trace search matches, as 52-bit hashes: a trace is indexed by the terms of its spans
 * and resources, and a query asks for the terms of its conditions. 52 bits make a false match
 * vanishingly rare (about one in 10^15 per term compared) while each term fits in a double.
 */

/** The hash of a term's text: two 32-bit multiplicative hashes joined into 52 bits. */
export function hashTerm(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 0x100000 + (h2 >>> 12);
}

/** A span or resource attribute `key` with the text `value` (ints in decimal, bools as words). */
export function attributeTerm(key: string, value: string): number {
  return hashTerm(`a\u0000${key}\u0000${value}`);
}

/** A span from `service`. */
export function serviceTerm(service: string): number {
  return hashTerm(`s\u0000${service}`);
}

/** A span named `name`, from `service` when given. */
export function operationTerm(name: string, service?: string): number {
  return hashTerm(service === undefined ? `o\u0000${name}` : `so\u0000${service}\u0000${name}`);
}
