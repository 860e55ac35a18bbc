/** What a SQL statement says about itself, with nothing of its data. */
export interface SqlStatement {
  /** The statement with every literal (string, number, hex, bit) replaced by `?`, cut to `MAX_QUERY_TEXT`. */
  readonly text: string;
  /** `db.operation.name`: the first keyword in capitals (`SELECT`), or `undefined` when there is none. */
  readonly operation: string | undefined;
  /** `db.collection.name`: the table the statement names first, as written, or `undefined`. */
  readonly collection: string | undefined;
}

/** The longest `db.query.text` recorded: a longer statement is cut. */
export const MAX_QUERY_TEXT = 4096;

// Statements repeat (prepared or written with placeholders): each is scanned once.
const MAX_CACHED = 1000;
const cache = new Map<string, SqlStatement>();

/**
 * The sanitized text, operation and collection of `sql`. The text keeps
 * placeholders, identifiers, keywords and comments, and replaces every
 * literal written into the statement with `?`, so that values inlined by the
 * driver or by hand never reach the telemetry. A statement with values
 * written in by the driver is not cached: each would be seen once.
 */
export function describeSql(sql: string, cacheable = true): SqlStatement {
  let statement = cacheable ? cache.get(sql) : undefined;
  if (statement === undefined) {
    const text = sanitizeSql(sql);
    const { operation, collection } = summarize(text);
    statement = {
      text: text.length > MAX_QUERY_TEXT ? text.slice(0, MAX_QUERY_TEXT) : text,
      operation,
      collection,
    };
    if (cacheable) {
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(sql, statement);
    }
  }
  return statement;
}

const QUOTE = 39; // '
const DOUBLE_QUOTE = 34; // "
const BACKTICK = 96;
const BACKSLASH = 92;

/** Replaces the literals of `sql` with `?`, in one pass. */
export function sanitizeSql(sql: string): string {
  let out = '';
  let copied = 0;
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === QUOTE || c === DOUBLE_QUOTE) {
      // MySQL reads "…" as a string too (unless ANSI_QUOTES, where it is rarely used).
      const end = quotedEnd(sql, i, c);
      out += `${sql.slice(copied, i)}?`;
      i = copied = end;
    } else if (c === BACKTICK) {
      i = quotedEnd(sql, i, c);
    } else if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      i = lineEnd(sql, i);
    } else if (c === 35 /* # */) {
      i = lineEnd(sql, i);
    } else if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42 /* * */) {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
    } else if (isDigit(c) || (c === 46 /* . */ && isDigit(sql.charCodeAt(i + 1)))) {
      // A number standing alone: digits inside identifiers were skipped with them.
      const end = numberEnd(sql, i);
      out += `${sql.slice(copied, i)}?`;
      i = copied = end;
    } else if (isWordChar(c)) {
      // x'0A', b'01', N'text': a literal with a one-letter prefix.
      const next = sql.charCodeAt(i + 1);
      if (
        next === QUOTE &&
        (c === 120 || c === 88 || c === 98 || c === 66 || c === 110 || c === 78)
      ) {
        const end = quotedEnd(sql, i + 1, QUOTE);
        out += `${sql.slice(copied, i)}?`;
        i = copied = end;
      } else {
        i = wordEnd(sql, i);
      }
    } else {
      i++;
    }
  }
  return copied === 0 ? sql : out + sql.slice(copied);
}

/** The index after the closing quote of the quoted run at `start` (doubled quotes and backslashes escape). */
function quotedEnd(sql: string, start: number, quote: number): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (c === BACKSLASH && quote !== BACKTICK) i += 2;
    else if (c === quote) {
      if (sql.charCodeAt(i + 1) !== quote) return i + 1;
      i += 2;
    } else i++;
  }
  return sql.length;
}

function lineEnd(sql: string, start: number): number {
  const newline = sql.indexOf('\n', start);
  return newline === -1 ? sql.length : newline + 1;
}

function numberEnd(sql: string, start: number): number {
  let i = start;
  if (sql.charCodeAt(i) === 48 && (sql.charCodeAt(i + 1) | 32) === 120) return wordEnd(sql, i); // 0x1F
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (isDigit(c) || c === 46) i++;
    else if ((c | 32) === 101 /* e */) {
      const sign = sql.charCodeAt(i + 1);
      i += sign === 43 || sign === 45 ? 2 : 1;
    } else break;
  }
  return i;
}

function wordEnd(sql: string, start: number): number {
  let i = start + 1;
  while (i < sql.length && isWordChar(sql.charCodeAt(i))) i++;
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Letters, digits, `_`, `$` and anything beyond ASCII: what MySQL identifiers are made of. */
function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95 || c === 36 || c > 127
  );
}

const LEADING_COMMENTS = /^(?:\s+|\(|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;
const KEYWORD = /^[A-Za-z]+/;
const NAME = '((?:`[^`]*`|[\\w$]+)(?:\\.(?:`[^`]*`|[\\w$]+))?)';
const TARGETS: Record<string, RegExp> = {
  SELECT: new RegExp(`\\bFROM\\s+${NAME}`, 'i'),
  DELETE: new RegExp(`\\bFROM\\s+${NAME}`, 'i'),
  INSERT: new RegExp(
    `^\\w+\\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE)\\s+)*(?:INTO\\s+)?${NAME}`,
    'i',
  ),
  UPDATE: new RegExp(`^\\w+\\s+(?:(?:LOW_PRIORITY|IGNORE)\\s+)*${NAME}`, 'i'),
  TABLE: new RegExp(
    `^\\w+\\s+(?:TEMPORARY\\s+)?TABLE\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?${NAME}`,
    'i',
  ),
  TRUNCATE: new RegExp(`^\\w+\\s+(?:TABLE\\s+)?${NAME}`, 'i'),
};
const TARGET_OF: Record<string, RegExp | undefined> = {
  SELECT: TARGETS.SELECT,
  DELETE: TARGETS.DELETE,
  INSERT: TARGETS.INSERT,
  REPLACE: TARGETS.INSERT,
  UPDATE: TARGETS.UPDATE,
  CREATE: TARGETS.TABLE,
  DROP: TARGETS.TABLE,
  ALTER: TARGETS.TABLE,
  TRUNCATE: TARGETS.TRUNCATE,
};

function summarize(text: string): Pick<SqlStatement, 'operation' | 'collection'> {
  const body = text.slice(LEADING_COMMENTS.exec(text)?.[0].length ?? 0);
  const keyword = KEYWORD.exec(body)?.[0];
  if (keyword === undefined) return { operation: undefined, collection: undefined };
  const operation = keyword.toUpperCase();
  const target = TARGET_OF[operation]?.exec(body)?.[1];
  return { operation, collection: target };
}
