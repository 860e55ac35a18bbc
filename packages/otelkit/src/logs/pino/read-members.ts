import type { Attributes } from '@opentelemetry/api';
import {
  addJsonMember,
  addMember,
  isRecordKey,
  type LineKeys,
  lineMessage,
} from './line-attributes.ts';
import { textAt } from './text-at.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Reads the members of a line from `from` (a `,` before the next member, or
 * the closing `}`) to its end, as pino writes them: compact JSON. Each member
 * goes through `addMember` (strings, numbers, booleans, `null`) or
 * `addJsonMember` (objects and arrays, as their text on the line), so the
 * line is never parsed into objects it does not need. Returns the message
 * (`''` when the line has none), or `undefined` when the text is not members
 * of compact JSON (a `streamWrite` hook wrote something else): the caller
 * then parses the line whole.
 */
export function readMembers(
  whole: string,
  from: number,
  keys: LineKeys,
  traceIdsAdded: boolean,
  attributes: Attributes,
): string | undefined {
  const line = whole.slice(from);
  // Most lines hold no escape at all: every string then ends at the next quote.
  const escapes = line.indexOf('\\') !== -1;
  let message = '';
  let pos = 0;
  for (let index = 0; ; index++) {
    const next = line.charCodeAt(pos);
    if (next === CLOSE_BRACE) return endsAt(line, pos + 1) ? message : undefined;
    if (next !== COMMA || line.charCodeAt(pos + 1) !== QUOTE) return undefined;
    // A key cut out of the line is a new string that V8 must intern each
    // time it names a property, many times the cost of reading it. Lines from
    // one call site repeat their keys in order: the key at the same place on
    // the last line, kept interned, is reused when the line holds the same text.
    let key = recentKeys[index];
    let ordinary = recentOrdinary[index] === true;
    let keyEnd = key === undefined ? -1 : pos + 2 + key.length;
    if (key === undefined || line.charCodeAt(keyEnd) !== QUOTE || !textAt(line, key, pos + 2)) {
      keyEnd = stringEnd(line, pos + 1, escapes);
      if (keyEnd === -1) return undefined;
      key = keyText(line, pos + 1, keyEnd, escapes);
      ordinary = !isRecordKey(key);
      // Only a key written without escapes is the same text as on the line.
      if (index < RECENT_KEYS && key.length === keyEnd - pos - 2) {
        recentKeys[index] = key = interned(key);
        recentOrdinary[index] = ordinary;
      }
    }
    // A key that is none of the record's own nor the logger's: its value is the attribute.
    ordinary &&= key !== keys.messageKey && key !== keys.nestedKey && key !== keys.errorKey;
    if (line.charCodeAt(keyEnd + 1) !== COLON) return undefined;
    const start = keyEnd + 2;
    const first = line.charCodeAt(start);
    let end: number;
    if (first === QUOTE) {
      const close = stringEnd(line, start, escapes);
      if (close === -1) return undefined;
      end = close + 1;
      const text =
        escapes && line.lastIndexOf('\\', close) > start
          ? (JSON.parse(line.slice(start, end)) as string)
          : line.slice(start + 1, close);
      if (ordinary) attributes[key] = text;
      else if (key === keys.messageKey) message = text;
      else addMember(attributes, key, text, keys, traceIdsAdded);
    } else if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      end = jsonEnd(line, start, escapes);
      if (end === -1) return undefined;
      const json = line.slice(start, end);
      if (key === keys.messageKey) message = lineMessage(JSON.parse(json));
      else addJsonMember(attributes, key, json, keys, traceIdsAdded);
    } else {
      end = scalarEnd(line, start);
      const value = scalar(line, start, end);
      if (value === undefined) return undefined;
      if (ordinary && value !== null) attributes[key] = value;
      else if (key === keys.messageKey) message = lineMessage(value);
      else addMember(attributes, key, value, keys, traceIdsAdded);
    }
    pos = end;
  }
}

const RECENT_KEYS = 32;
const recentKeys: (string | undefined)[] = [];
/** Whether each of `recentKeys` is none of those `isRecordKey` names. */
const recentOrdinary: boolean[] = [];

/** The same text as a property name: the string V8 keeps interned. */
function interned(key: string): string {
  return Object.keys({ [key]: 0 })[0] ?? key;
}

/** The index of the quote that closes the string opened at `open`, or -1. */
function stringEnd(line: string, open: number, escapes: boolean): number {
  if (!escapes) return line.indexOf('"', open + 1);
  for (let i = open + 1; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i;
  }
  return -1;
}

function keyText(line: string, open: number, close: number, escapes: boolean): string {
  const raw = line.slice(open + 1, close);
  return escapes && raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
}

/** The index just past the object or array that starts at `start`, or -1. */
function jsonEnd(line: string, start: number, escapes: boolean): number {
  let depth = 0;
  for (let i = start; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === QUOTE) {
      i = stringEnd(line, i, escapes);
      if (i === -1) return -1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
    } else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && --depth === 0) {
      return i + 1;
    }
  }
  return -1;
}

function scalarEnd(line: string, start: number): number {
  let i = start;
  for (; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === COMMA || code === CLOSE_BRACE) break;
  }
  return i;
}

/** The JSON number, `true`, `false` or `null` from `start` to `end`; `undefined` for anything else. */
function scalar(line: string, start: number, end: number): number | boolean | null | undefined {
  const first = line.charCodeAt(start);
  if (first === 0x2d /* - */ || (first >= 0x30 && first <= 0x39)) {
    const value = Number(line.slice(start, end));
    return Number.isNaN(value) ? undefined : value;
  }
  const text = line.slice(start, end);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text === 'null' ? null : undefined;
}

/** Whether nothing but the line's end follows `from`. */
function endsAt(line: string, from: number): boolean {
  for (let i = from; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code !== 0x0a && code !== 0x0d && code !== 0x20) return false;
  }
  return true;
}
