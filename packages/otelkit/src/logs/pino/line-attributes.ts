import type { Attributes } from '@opentelemetry/api';
import { addSerializedException, isSerializedError } from './serialized-exception.ts';

/** The keys of a logger's lines that the record reads apart from its fields. */
export interface LineKeys {
  /** pino's `messageKey`: its value is the record's body. */
  readonly messageKey: string;
  /** pino's `errorKey`: a serialized error becomes `exception.*` attributes. */
  readonly errorKey: string;
  /** pino's `nestedKey`: the log call's fields sit under it. */
  readonly nestedKey: string | undefined;
  /** Whether a `hooks.streamWrite` may rewrite the lines after pino serialized them. */
  readonly rewrites: boolean;
}

/** Members of a line, parsed. */
export type LineFields = Record<string, unknown>;

/** Members of JSON text as an object, or `undefined` when the text is not a JSON object. */
export function parseFields(json: string): LineFields | undefined {
  try {
    const fields: unknown = JSON.parse(json);
    return isObject(fields) ? (fields as LineFields) : undefined;
  } catch {
    return undefined;
  }
}

/** The line's message as text: a string as is, anything else as its JSON, `''` when there is none. */
export function lineMessage(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'undefined':
      return '';
    case 'object':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

/**
 * Adds members of a line to a record's attributes: every member except the
 * message, `level`, `time`, `pid`, `hostname` and (when otelkit added them)
 * the trace ids; the members under `nestedKey` alongside the others; the
 * error under `errorKey` as `exception.*`. Strings, numbers, booleans and
 * arrays of strings are kept as they are, other objects and arrays as their
 * JSON; `null` is left out. A member repeated later on the line wins, as in
 * `JSON.parse`.
 */
export function addLineFields(
  attributes: Attributes,
  fields: LineFields,
  keys: LineKeys,
  traceIdsAdded: boolean,
): void {
  for (const key of Object.keys(fields)) {
    addMember(attributes, key, fields[key], keys, traceIdsAdded);
  }
}

/** Adds one member of a line, parsed, by the rules of `addLineFields`. */
export function addMember(
  attributes: Attributes,
  key: string,
  value: unknown,
  keys: LineKeys,
  traceIdsAdded: boolean,
): void {
  if (isOmitted(key, keys, traceIdsAdded)) return;
  if (key === keys.nestedKey && isObject(value)) {
    for (const inner of Object.keys(value as LineFields)) {
      if (inner !== PROTO) addField(attributes, inner, (value as LineFields)[inner], keys.errorKey);
    }
  } else {
    addField(attributes, key, value, keys.errorKey);
  }
}

/**
 * Adds one member of a line whose value is a JSON object or array, given as
 * the text the line holds: that text is the attribute, unless the member
 * needs reading (the error, the nested fields, an array of strings).
 */
export function addJsonMember(
  attributes: Attributes,
  key: string,
  json: string,
  keys: LineKeys,
  traceIdsAdded: boolean,
): void {
  if (key === keys.errorKey || key === keys.nestedKey || json.charCodeAt(0) === 0x5b /* [ */) {
    addMember(attributes, key, JSON.parse(json), keys, traceIdsAdded);
  } else if (!isOmitted(key, keys, traceIdsAdded)) {
    attributes[key] = json;
  }
}

const PROTO = '__proto__';

/**
 * Whether `key` may name a member the record holds elsewhere or leaves out
 * (`level`, `time`, `pid`, `hostname`, the trace ids, `__proto__`), whatever
 * the logger's keys: a member under any other key that is not the logger's
 * message, nested or error key is an attribute as it is.
 */
export function isRecordKey(key: string): boolean {
  switch (key) {
    case 'level':
    case 'time':
    case 'pid':
    case 'hostname':
    case PROTO:
    case 'trace_id':
    case 'span_id':
    case 'trace_flags':
      return true;
    default:
      return false;
  }
}

/**
 * Members the record holds elsewhere: the message (its body), the level
 * (its severity), the time (its timestamp), pid and hostname (its resource),
 * and the trace ids otelkit added (its context).
 */
function isOmitted(key: string, keys: LineKeys, traceIdsAdded: boolean): boolean {
  switch (key) {
    case 'level':
    case 'time':
    case 'pid':
    case 'hostname':
    case PROTO:
      return true;
    case 'trace_id':
    case 'span_id':
    case 'trace_flags':
      return traceIdsAdded;
    default:
      return key === keys.messageKey;
  }
}

function addField(attributes: Attributes, key: string, value: unknown, errorKey: string): void {
  if (key === errorKey && isSerializedError(value)) {
    addSerializedException(attributes, value);
    return;
  }
  const attribute = toAttribute(value);
  if (attribute !== undefined) attributes[key] = attribute;
  else if (Object.hasOwn(attributes, key)) delete attributes[key];
}

function toAttribute(value: unknown): Attributes[string] {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      if (value === null) return undefined;
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
        return value as string[];
      }
      // Parsed from JSON: no cycle, nothing that can throw.
      return JSON.stringify(value);
    default:
      return undefined;
  }
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
