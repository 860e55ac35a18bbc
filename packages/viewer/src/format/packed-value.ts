/**
 * The compact stored form of OTLP `AnyValue`s and attribute lists. Storing OTLP/JSON verbatim
 * would double the bytes SQLite writes per span; this form keeps every type distinct:
 *
 * - string → `"text"`, bool → `true`, int → `42` (or `{"i":"9007199254740993"}` beyond 2^53),
 * - double → `{"d":1.5}` (non-finite as `"NaN"`, `"Infinity"`, `"-Infinity"`),
 * - array → `{"a":[…]}`, kvlist → `{"k":[key, value, …]}`, bytes → `{"b":"base64"}`, unset → `null`.
 *
 * An attribute list is a flat array `[key, value, key, value, …]`.
 */
export type PackedValue =
  | string
  | boolean
  | number
  | null
  | { i: string }
  | { d: number | string }
  | { a: PackedValue[] }
  | { k: PackedList }
  | { b: string };

/** A packed attribute list: keys at even positions, values at odd ones. */
export type PackedList = (string | PackedValue)[];

/** An OTLP/JSON `AnyValue` as the API serves it. */
export type JsonAnyValue =
  | Record<string, never>
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | string }
  | { arrayValue: { values: JsonAnyValue[] } }
  | { kvlistValue: { values: JsonKeyValue[] } }
  | { bytesValue: string };

/** An OTLP/JSON attribute. */
export interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}

/** Expands a packed value to OTLP/JSON. */
export function unpackValue(value: PackedValue | undefined): JsonAnyValue {
  if (value === null || value === undefined) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return { intValue: String(value) };
  if ('i' in value) return { intValue: value.i };
  if ('d' in value) return { doubleValue: value.d };
  if ('a' in value) return { arrayValue: { values: value.a.map(unpackValue) } };
  if ('k' in value) return { kvlistValue: { values: unpackList(value.k) } };
  return { bytesValue: value.b };
}

/** Expands a packed attribute list to OTLP/JSON `[{ key, value }]`. */
export function unpackList(list: PackedList | undefined): JsonKeyValue[] {
  const result: JsonKeyValue[] = [];
  if (!list) return result;
  for (let i = 0; i + 1 < list.length; i += 2) {
    result.push({ key: String(list[i]), value: unpackValue(list[i + 1] as PackedValue) });
  }
  return result;
}
