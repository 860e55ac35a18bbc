import type { JsonKeyValue, PackedList, PackedValue } from '../format/packed-value.ts';
import { type LongLike, toBigInt } from './long-value.ts';

/** A decoded `opentelemetry.proto.common.v1.AnyValue`. */
export interface DecodedAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: LongLike | null;
  doubleValue?: number | null;
  arrayValue?: { values?: DecodedAnyValue[] | null } | null;
  kvlistValue?: { values?: DecodedKeyValue[] | null } | null;
  bytesValue?: Uint8Array | null;
}

/** A decoded `opentelemetry.proto.common.v1.KeyValue`. */
export interface DecodedKeyValue {
  key?: string | null;
  value?: DecodedAnyValue | null;
}

// protobufjs names the set member of the `value` oneof in a virtual `value` property; unset
// members read as their defaults, so they cannot be told apart by looking at them.
function setMember(value: DecodedAnyValue): string | undefined {
  return (value as { value?: string }).value;
}

/** Packs a decoded `AnyValue` into its stored form (see `format/packed-value.ts`). */
export function packValue(value: DecodedAnyValue | null | undefined): PackedValue {
  if (!value) return null;
  switch (setMember(value)) {
    case 'stringValue':
      return value.stringValue ?? '';
    case 'boolValue':
      return value.boolValue ?? false;
    case 'intValue': {
      const int = toBigInt(value.intValue, true);
      const asNumber = Number(int);
      return Number.isSafeInteger(asNumber) ? asNumber : { i: int.toString() };
    }
    case 'doubleValue':
      return { d: doubleToJson(value.doubleValue ?? 0) };
    case 'arrayValue':
      return { a: (value.arrayValue?.values ?? []).map(packValue) };
    case 'kvlistValue':
      return { k: packList(value.kvlistValue?.values) };
    case 'bytesValue':
      return { b: Buffer.from(value.bytesValue ?? []).toString('base64') };
    default:
      return null;
  }
}

/** Packs decoded attributes into the flat `[key, value, …]` stored form. */
export function packList(attributes: DecodedKeyValue[] | null | undefined): PackedList {
  const list: PackedList = [];
  if (!attributes) return list;
  for (const kv of attributes) list.push(kv.key ?? '', packValue(kv.value));
  return list;
}

/** Converts decoded attributes to OTLP/JSON (for resources and scopes, stored once each). */
export function keyValuesToJson(attributes: DecodedKeyValue[] | null | undefined): JsonKeyValue[] {
  if (!attributes) return [];
  return attributes.map((kv) => ({ key: kv.key ?? '', value: anyValueToJson(kv.value) }));
}

function anyValueToJson(value: DecodedAnyValue | null | undefined): JsonKeyValue['value'] {
  if (!value) return {};
  switch (setMember(value)) {
    case 'stringValue':
      return { stringValue: value.stringValue ?? '' };
    case 'boolValue':
      return { boolValue: value.boolValue ?? false };
    case 'intValue':
      return { intValue: toBigInt(value.intValue, true).toString() };
    case 'doubleValue':
      return { doubleValue: doubleToJson(value.doubleValue ?? 0) };
    case 'arrayValue':
      return { arrayValue: { values: (value.arrayValue?.values ?? []).map(anyValueToJson) } };
    case 'kvlistValue':
      return { kvlistValue: { values: keyValuesToJson(value.kvlistValue?.values) } };
    case 'bytesValue':
      return { bytesValue: Buffer.from(value.bytesValue ?? []).toString('base64') };
    default:
      return {};
  }
}

/**
 * A double as proto3 JSON writes it: the non-finite ones as `"NaN"`, `"Infinity"` and
 * `"-Infinity"` (JSON.stringify would turn them into null).
 */
export function doubleToJson(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** The `service.name` string attribute of a resource, or `unknown_service`. */
export function serviceName(attributes: DecodedKeyValue[] | null | undefined): string {
  const found = attributes?.find((kv) => kv.key === 'service.name');
  return (
    (found?.value && setMember(found.value) === 'stringValue' && found.value.stringValue) ||
    'unknown_service'
  );
}
