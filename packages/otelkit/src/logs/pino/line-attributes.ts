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
}

/** Members of a line, parsed. */
export type LineFields = Record<string, unknown>;

// What the record says elsewhere: the severity (level), its own timestamp
// (time), the resource (pid, hostname), and the trace context (the ids).
const OMITTED = new Set(['level', 'time', 'pid', 'hostname']);
const TRACE_FIELDS = new Set(['trace_id', 'span_id', 'trace_flags']);

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
 * JSON; `null` is left out.
 */
export function addLineFields(
  attributes: Attributes,
  fields: LineFields,
  keys: LineKeys,
  traceIdsAdded: boolean,
): void {
  for (const key of Object.keys(fields)) {
    if (key === keys.messageKey || OMITTED.has(key)) continue;
    if (traceIdsAdded && TRACE_FIELDS.has(key)) continue;
    const value = fields[key];
    if (key === keys.nestedKey && isObject(value)) {
      for (const inner of Object.keys(value as LineFields)) {
        addField(attributes, inner, (value as LineFields)[inner], keys.errorKey);
      }
    } else {
      addField(attributes, key, value, keys.errorKey);
    }
  }
}

function addField(attributes: Attributes, key: string, value: unknown, errorKey: string): void {
  if (key === errorKey && isSerializedError(value)) {
    addSerializedException(attributes, value);
    return;
  }
  const attribute = toAttribute(value);
  if (attribute !== undefined) attributes[key] = attribute;
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
