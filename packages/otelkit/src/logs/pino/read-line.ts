import type { Attributes } from '@opentelemetry/api';
import {
  addLineFields,
  type LineFields,
  type LineKeys,
  lineMessage,
  parseFields,
} from './line-attributes.ts';

/** A line as a log record reads it. */
export interface LineRecord {
  /** The line's message (`''` when it has none), or the whole line when it is not a JSON object. */
  readonly message: string;
  /** The record's attributes, when asked for. */
  readonly attributes: Attributes | undefined;
}

/** The bindings a logger lent to one line: its own, then the trace ids otelkit added. */
export interface LentBindings {
  /** The logger, whose parsed bindings are kept. */
  readonly owner: object;
  /** The logger's serialized bindings, as pino keeps them (`,"pid":1,…`). */
  readonly bindings: string;
  /** The trace id members added after them, or `''`. */
  readonly ids: string;
}

const parsedBindings = new WeakMap<object, { text: string; fields: LineFields }>();

/**
 * Reads one line pino wrote. pino writes `{`, the level and time members,
 * the logger's bindings (lent with the trace ids), the call's fields and the
 * message, then `}`: the bindings are the same text on every line of a
 * logger, so they are parsed once per logger and each line only from where
 * they end. A line in which they cannot be found (no bindings at all, or a
 * `streamWrite` hook rewrote them) is parsed whole; a line that is not a JSON
 * object is the message itself.
 */
export function readLine(
  line: string,
  lent: LentBindings,
  keys: LineKeys,
  withAttributes: boolean,
): LineRecord {
  const { bindings, ids } = lent;
  const traceIdsAdded = ids !== '';
  const start = lentStart(line, bindings, ids);
  const tail = start === -1 ? undefined : tailOf(line, start + bindings.length + ids.length);
  if (tail === undefined) {
    const whole = parseFields(line);
    if (whole === undefined)
      return { message: line.trimEnd(), attributes: withAttributes ? {} : undefined };
    const message = lineMessage(whole[keys.messageKey]);
    if (!withAttributes) return { message, attributes: undefined };
    const attributes: Attributes = {};
    addLineFields(attributes, whole, keys, traceIdsAdded);
    return { message, attributes };
  }
  const message = lineMessage(tail[keys.messageKey]);
  if (!withAttributes) return { message, attributes: undefined };
  const attributes: Attributes = {};
  const head = headOf(line.slice(0, start));
  if (head !== undefined) addLineFields(attributes, head, keys, traceIdsAdded);
  addLineFields(attributes, bindingsOf(lent), keys, traceIdsAdded);
  addLineFields(attributes, tail, keys, traceIdsAdded);
  return { message, attributes };
}

/** Where the lent bindings begin on the line, or -1 when they are not there. */
function lentStart(line: string, bindings: string, ids: string): number {
  if (ids === '') return bindings === '' ? -1 : line.indexOf(bindings, 1);
  // The ids hold the span's random trace id: found nowhere earlier on the line.
  const start = line.indexOf(ids, 1) - bindings.length;
  return start > 0 && line.startsWith(bindings, start) ? start : -1;
}

/** The members after the bindings, or `undefined` when the text there does not close the line's object. */
function tailOf(line: string, from: number): LineFields | undefined {
  const next = line.charCodeAt(from);
  if (next === 0x7d /* } */) return line.trimEnd().length === from + 1 ? {} : undefined;
  if (next !== 0x2c /* , */) return undefined;
  return parseFields(`{${line.slice(from + 1)}`);
}

/**
 * The members before the bindings, or `undefined` when they are only pino's
 * `level` and `time` (left out of the record anyway): checked without
 * parsing, since a level or time value never holds a comma or a quote-comma.
 */
function headOf(head: string): LineFields | undefined {
  if (head.startsWith('{"level":')) {
    const comma = head.indexOf(',', 9);
    if (comma === -1) return undefined;
    if (head.startsWith(',"time":', comma) && head.indexOf(',', comma + 8) === -1) return undefined;
  }
  return parseFields(`${head}}`) ?? {};
}

function bindingsOf(lent: LentBindings): LineFields {
  const cached = parsedBindings.get(lent.owner);
  if (cached?.text === lent.bindings) return cached.fields;
  const fields = lent.bindings === '' ? {} : (parseFields(`{${lent.bindings.slice(1)}}`) ?? {});
  parsedBindings.set(lent.owner, { text: lent.bindings, fields });
  return fields;
}
