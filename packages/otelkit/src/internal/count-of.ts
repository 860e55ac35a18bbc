/**
 * `1 span`, `3 spans`: a count with its noun, given in the plural (`spans`,
 * `log records`, `failed attempts`), singular for exactly one.
 */
export function countOf(count: number, plural: string): string {
  return `${count} ${count === 1 ? plural.replace(/s$/, '') : plural}`;
}
