import { attributeTerm } from '../format/search-term.ts';
import type { DecodedAnyValue, DecodedKeyValue } from './any-value.ts';
import { toBigInt } from './long-value.ts';

// See `setMember` in any-value.ts: protobufjs names the set member of the oneof in `value`.
const member = (value: DecodedAnyValue) => (value as { value?: string }).value;

/** A scalar attribute value as a person types it in a search: `GET`, `500`, `1.5`, `true`. */
export function scalarText(value: DecodedAnyValue | null | undefined): string | undefined {
  if (!value) return undefined;
  switch (member(value)) {
    case 'stringValue':
      return value.stringValue ?? '';
    case 'boolValue':
      return String(value.boolValue ?? false);
    case 'intValue':
      return toBigInt(value.intValue, true).toString();
    case 'doubleValue':
      return String(value.doubleValue ?? 0);
    default:
      return undefined;
  }
}

/** The search terms of a list of attributes (arrays, maps and bytes are not searchable). */
export function attributeTerms(attributes: DecodedKeyValue[] | null | undefined): number[] {
  const terms: number[] = [];
  if (!attributes) return terms;
  for (const kv of attributes) {
    const text = scalarText(kv.value);
    if (text !== undefined) terms.push(attributeTerm(kv.key ?? '', text));
  }
  return terms;
}

/** The string value of attribute `key`, or `''`. */
export function stringAttribute(
  attributes: DecodedKeyValue[] | null | undefined,
  key: string,
): string {
  const found = attributes?.find((kv) => kv.key === key)?.value;
  return found && member(found) === 'stringValue' ? (found.stringValue ?? '') : '';
}

/** The string items of an array attribute `key`. */
export function stringListAttribute(
  attributes: DecodedKeyValue[] | null | undefined,
  key: string,
): string[] {
  const found = attributes?.find((kv) => kv.key === key)?.value;
  if (!found || member(found) !== 'arrayValue') return [];
  return (found.arrayValue?.values ?? []).map((item) => scalarText(item) ?? '');
}
