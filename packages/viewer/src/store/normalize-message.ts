const uuid = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const prefixedHex = /\b0x[0-9a-f]+\b/gi;
// Eight or more hex digits with at least one decimal digit: ids, hashes, trace ids.
const bareHex = /\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi;
const number = /\d+(?:\.\d+)?/g;

/**
 * An error message with what varies between occurrences replaced by placeholders, so that
 * `user 42 not found` and `user 7 not found` are one error: UUIDs become `<uuid>`, hex ids
 * `<hex>`, other numbers `<n>`.
 */
export function normalizeMessage(message: string): string {
  return message
    .replace(uuid, '<uuid>')
    .replace(prefixedHex, '<hex>')
    .replace(bareHex, '<hex>')
    .replace(number, '<n>');
}
