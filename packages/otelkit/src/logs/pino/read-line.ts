import type { Attributes } from '@opentelemetry/api';
import { addLineFields, type LineKeys, lineMessage, parseFields } from './line-attributes.ts';
import { readMembers } from './read-members.ts';
import { textAt } from './text-at.ts';

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

/**
 * Reads one line pino wrote. pino writes `{`, the level and time members,
 * the logger's bindings (lent with the trace ids), the call's fields, the
 * message, then `}`: the bindings are the same text on every line of a
 * logger, so they are read once per logger, and each line only from where
 * they end (see `readMembers`). Any other line (no bindings at all, a level
 * formatter's own members before them, bindings holding the message, the
 * nested fields or the error, text a `streamWrite` hook rewrote) is parsed
 * whole by `readWhole`, the reference both readings agree with; a line that
 * is not a JSON object is the message.
 */
export function readLine(
  line: string,
  lent: LentBindings,
  keys: LineKeys,
  withAttributes: boolean,
): LineRecord {
  const { bindings, ids } = lent;
  const traceIdsAdded = ids !== '';
  const start = lentStart(line, lent, keys.rewrites);
  if (start !== -1 && plainHead(line, start)) {
    const bound = boundOf(lent, keys, traceIdsAdded);
    if (bound !== undefined) {
      const attributes: Attributes = bound.empty ? {} : { ...bound.attributes };
      try {
        const from = start + bindings.length + ids.length;
        const message = readMembers(line, from, keys, traceIdsAdded, attributes);
        if (message !== undefined) {
          return { message, attributes: withAttributes ? attributes : undefined };
        }
      } catch {
        // Text that is not what pino writes: parsed whole below.
      }
    }
  }
  return readWhole(line, keys, traceIdsAdded, withAttributes);
}

/** The reference reading: the whole line parsed. */
export function readWhole(
  line: string,
  keys: LineKeys,
  traceIdsAdded: boolean,
  withAttributes: boolean,
): LineRecord {
  const fields = parseFields(line);
  if (fields === undefined) {
    return { message: line.trimEnd(), attributes: withAttributes ? {} : undefined };
  }
  const message = lineMessage(fields[keys.messageKey]);
  if (!withAttributes) return { message, attributes: undefined };
  const attributes: Attributes = {};
  addLineFields(attributes, fields, keys, traceIdsAdded);
  return { message, attributes };
}

// Where the last line's bindings began: the level and time before them have
// the same length on nearly every line, so one comparison there usually
// saves searching the line.
let lastStart = -1;

/**
 * Where the lent bindings begin on the line, or -1 when they are not there.
 * At the place of the last line's, the trace ids alone are compared: pino
 * wrote the bindings just before them, unless a `streamWrite` hook may have
 * rewritten the line.
 */
function lentStart(line: string, lent: LentBindings, rewrites: boolean): number {
  const { bindings, ids } = lent;
  if (bindings === '' && ids === '') return -1;
  if (lentAt(line, lastStart, bindings, ids, rewrites)) return lastStart;
  // The ids hold the span's random trace id: found nowhere earlier on the line.
  const found = ids === '' ? line.indexOf(bindings, 1) : line.indexOf(ids, 1) - bindings.length;
  if (!lentAt(line, found, bindings, ids, true)) return -1;
  lastStart = found;
  return found;
}

function lentAt(
  line: string,
  start: number,
  bindings: string,
  ids: string,
  withBindings: boolean,
): boolean {
  if (start <= 0) return false;
  if ((withBindings || ids === '') && !textAt(line, bindings, start)) return false;
  return ids === '' || textAt(line, ids, start + bindings.length);
}

/**
 * Whether the members before the bindings are only pino's `level` and `time`
 * (left out of the record anyway): checked without parsing, since outside a
 * string a comma only separates members. Anything else there (a level
 * formatter's own members) is read by parsing the line whole.
 */
function plainHead(line: string, end: number): boolean {
  if (!textAt(line, '{"level":', 0)) return false;
  const comma = line.indexOf(',', 9);
  if (comma === end) return true;
  return textAt(line, ',"time":', comma) && line.indexOf(',', comma + 8) === end;
}

/** A logger's bindings as attributes, kept while its bindings stay the same text. */
interface BoundAttributes {
  readonly text: string;
  readonly traceIdsAdded: boolean;
  readonly attributes: Attributes;
  readonly empty: boolean;
  /**
   * Whether the bindings can be read apart from the members after them: not
   * when they hold the message, the nested fields or the error, which a
   * member of the call replaces whole.
   */
  readonly apart: boolean;
}

const boundAttributes = new WeakMap<object, BoundAttributes>();

/** The logger's bindings as attributes, or `undefined` when the line must be parsed whole. */
function boundOf(
  lent: LentBindings,
  keys: LineKeys,
  traceIdsAdded: boolean,
): BoundAttributes | undefined {
  let bound = boundAttributes.get(lent.owner);
  if (bound?.text !== lent.bindings || bound.traceIdsAdded !== traceIdsAdded) {
    bound = readBindings(lent.bindings, keys, traceIdsAdded);
    boundAttributes.set(lent.owner, bound);
  }
  return bound.apart ? bound : undefined;
}

function readBindings(text: string, keys: LineKeys, traceIdsAdded: boolean): BoundAttributes {
  const attributes: Attributes = {};
  const fields = text === '' ? {} : parseFields(`{${text.slice(1)}}`);
  if (fields !== undefined) addLineFields(attributes, fields, keys, traceIdsAdded);
  const apart =
    fields !== undefined &&
    !Object.hasOwn(fields, keys.messageKey) &&
    !Object.hasOwn(fields, keys.errorKey) &&
    (keys.nestedKey === undefined || !Object.hasOwn(fields, keys.nestedKey));
  const empty = Object.keys(attributes).length === 0;
  return { text, traceIdsAdded, attributes, empty, apart };
}
