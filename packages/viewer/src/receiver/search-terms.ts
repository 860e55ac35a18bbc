import type { PackedList, PackedValue } from '../format/packed-value.ts';
import { attributeTerm } from '../format/search-term.ts';

/**
 * A scalar attribute value as a person types it in a search: `GET`, `500`, `1.5`, `true`;
 * undefined for arrays, maps, bytes and unset values.
 */
export function scalarText(value: PackedValue | undefined): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      if (value === null) return undefined;
      if ('i' in value) return value.i;
      if ('d' in value) return String(value.d);
      return undefined;
    default:
      return undefined;
  }
}

/** The search terms of a packed attribute list (arrays, maps and bytes are not searchable). */
export function attributeTerms(attributes: PackedList): number[] {
  const terms: number[] = [];
  for (let i = 0; i + 1 < attributes.length; i += 2) {
    const text = scalarText(attributes[i + 1] as PackedValue);
    if (text !== undefined) terms.push(attributeTerm(attributes[i] as string, text));
  }
  return terms;
}

/** The string value of attribute `key` in a packed list, or `''`. */
export function stringAttribute(attributes: PackedList, key: string): string {
  for (let i = 0; i + 1 < attributes.length; i += 2) {
    if (attributes[i] === key) {
      const value = attributes[i + 1];
      return typeof value === 'string' ? value : '';
    }
  }
  return '';
}

/**
 * The string values of the attributes `keys` in a packed list, in one pass (the first of each
 * key); ints and other scalars as their text.
 */
export function stringAttributes<K extends string>(
  attributes: PackedList,
  keys: ReadonlySet<K>,
): Partial<Record<K, string>> {
  const found: Partial<Record<K, string>> = {};
  for (let i = 0; i + 1 < attributes.length; i += 2) {
    const key = attributes[i] as K;
    if (!keys.has(key) || found[key] !== undefined) continue;
    const text = scalarText(attributes[i + 1] as PackedValue);
    if (text !== undefined) found[key] = text;
  }
  return found;
}

/** The string items of the array attribute `key` in a packed list. */
export function stringListAttribute(attributes: PackedList, key: string): string[] {
  for (let i = 0; i + 1 < attributes.length; i += 2) {
    if (attributes[i] !== key) continue;
    const value = attributes[i + 1];
    if (typeof value !== 'object' || value === null || !('a' in value)) return [];
    return value.a.map((item) => scalarText(item) ?? '');
  }
  return [];
}
