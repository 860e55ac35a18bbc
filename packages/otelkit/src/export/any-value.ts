import type { Attributes } from '@opentelemetry/api';
import type { ProtoWriter } from './proto-writer.ts';
import type { StringCache } from './string-cache.ts';

// OTLP `AnyValue` fields (common.proto), as tag bytes.
const STRING = 0x0a; // 1, length-delimited
const BOOL = 0x10; // 2, varint
const INT = 0x18; // 3, varint
const DOUBLE = 0x21; // 4, fixed64
const ARRAY = 0x2a; // 5, length-delimited
const KVLIST = 0x32; // 6, length-delimited
const BYTES = 0x3a; // 7, length-delimited
// `ArrayValue.values`, `KeyValueList.values`, `KeyValue.key`: field 1; `KeyValue.value`: field 2.
const FIELD_1 = 0x0a;
const FIELD_2 = 0x12;

/** From this length on, V8's native UTF-8 writer beats a loop over the characters. */
const NATIVE_STRING_LENGTH = 24;

const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/**
 * Writes the body of an OTLP `AnyValue` for an attribute value or log body,
 * as the official serializer reads them: integers in the int64 range as
 * `int_value` (so -0 too), other numbers as `double_value`, `Uint8Array` as
 * bytes, arrays and plain objects nested; `null`, `undefined` and anything
 * else as an empty value.
 */
export function writeAnyValue(w: ProtoWriter, value: unknown, keys: StringCache): void {
  switch (typeof value) {
    case 'string':
      w.byte(STRING);
      w.string(value);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        w.byte(INT);
        w.int64(value);
      } else {
        w.byte(DOUBLE);
        w.double(value);
      }
      return;
    case 'boolean':
      w.byte(BOOL);
      w.byte(value ? 1 : 0);
      return;
    case 'object':
      if (value === null) return;
      if (value instanceof Uint8Array) {
        w.byte(BYTES);
        w.bytes(value);
      } else if (Array.isArray(value)) {
        w.byte(ARRAY);
        const array = w.begin();
        for (const item of value) {
          w.byte(FIELD_1);
          const mark = w.begin();
          writeAnyValue(w, item, keys);
          w.end(mark);
        }
        w.end(array);
      } else {
        w.byte(KVLIST);
        const list = w.begin();
        writeKeyValues(w, value as Record<string, unknown>, FIELD_1, keys);
        w.end(list);
      }
      return;
    default:
      return;
  }
}

/**
 * Writes `attributes` as repeated `KeyValue` under the field whose tag byte
 * is `tag`. A short string or small integer under a cached key is written
 * in one pass with its lengths known ahead; anything else takes the general
 * path.
 */
export function writeKeyValues(
  w: ProtoWriter,
  attributes: Attributes | Record<string, unknown>,
  tag: number,
  cache: StringCache,
): void {
  let slot = tag * 2;
  const checkOwn = !ownKeysOnly(attributes);
  for (const key in attributes) {
    if (checkOwn && !Object.hasOwn(attributes, key)) continue;
    const value = attributes[key];
    const ref = cache.keyRef(key, slot++);
    if (ref >= 0) {
      if (typeof value === 'string') {
        if (writeShortString(w, tag, cache.arena, ref, value)) continue;
      } else if (typeof value === 'number') {
        if (writeSmallInt(w, tag, cache.arena, ref, value)) continue;
      }
    }
    w.byte(tag);
    const pair = w.begin();
    if (ref < 0) {
      w.byte(FIELD_1);
      w.string(key);
      w.byte(FIELD_2);
    } else w.copy(cache.arena, ref >>> 10, ref & 1023);
    const mark = w.begin();
    writeAnyValue(w, value, cache);
    w.end(mark);
    w.end(pair);
  }
}

/** `Object.prototype` has no enumerable property, as last checked. */
let prototypeClean = true;
let sinceCheck = 0;

/**
 * Whether `for…in` over `object` sees its own keys alone: true for the plain
 * objects the SDK keeps attributes in, unless something made a property of
 * `Object.prototype` enumerable. It saves an `Object.hasOwn` per key; the
 * prototype (slow to walk) is checked again every 256 calls.
 */
function ownKeysOnly(object: object): boolean {
  const proto = Object.getPrototypeOf(object);
  if (proto === null) return true;
  if (proto !== Object.prototype) return false;
  if (sinceCheck-- <= 0) {
    sinceCheck = 256;
    prototypeClean = true;
    for (const _ in proto) prototypeClean = false;
  }
  return prototypeClean;
}

/**
 * A `KeyValue` whose key is the cache entry `ref` of `arena` and whose value
 * is a string short enough for every length to fit one byte; `false` (and
 * nothing written) for a longer one.
 */
function writeShortString(
  w: ProtoWriter,
  tag: number,
  arena: Uint8Array,
  ref: number,
  value: string,
): boolean {
  const n = value.length;
  const from = ref >>> 10;
  const k = ref & 1023;
  if (k + 3 + n > 127) return false;
  w.ensure(k + 5 + 3 * n);
  const b = w.buf;
  const start = w.pos;
  let p = start + 2;
  for (let i = 0; i < k; i++) b[p++] = arena[from + i]!;
  const chars = p + 3;
  let end = chars;
  if (n < NATIVE_STRING_LENGTH) {
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 127) return false;
      b[end++] = c;
    }
  } else {
    end += b.write(value, chars, 'utf8');
  }
  const length = end - chars;
  const size = k + 3 + length; // prefix, AnyValue length, string tag, string length, bytes
  if (size > 127) return false;
  b[start] = tag;
  b[start + 1] = size;
  b[p] = length + 2;
  b[p + 1] = STRING;
  b[p + 2] = length;
  w.pos = end;
  return true;
}

/** A `KeyValue` (key as in `writeShortString`) with an integer value in 0..2^28; `false` for any other number. */
function writeSmallInt(
  w: ProtoWriter,
  tag: number,
  arena: Uint8Array,
  ref: number,
  value: number,
): boolean {
  if (!(value >= 0 && value < 0x1000_0000 && Number.isInteger(value))) return false;
  const v = value;
  const bytes = v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : 4;
  const from = ref >>> 10;
  const k = ref & 1023;
  const size = k + 2 + bytes; // prefix, AnyValue length, int tag, varint
  if (size > 127) return false;
  w.ensure(size + 2);
  const b = w.buf;
  let p = w.pos;
  b[p++] = tag;
  b[p++] = size;
  for (let i = 0; i < k; i++) b[p++] = arena[from + i]!;
  b[p++] = bytes + 1;
  b[p++] = INT;
  let rest = v;
  while (rest > 127) {
    b[p++] = (rest & 127) | 128;
    rest >>>= 7;
  }
  b[p++] = rest;
  w.pos = p;
  return true;
}
