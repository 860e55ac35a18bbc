import { describe, expect, it } from 'vitest';
import { describeSql, sanitizeSql } from './sql-statement.ts';

describe('sanitizeSql', () => {
  it.each([
    [
      "SELECT * FROM users WHERE name = 'ada' AND id = 42",
      'SELECT * FROM users WHERE name = ? AND id = ?',
    ],
    ["SELECT 'it''s', \"q\\\"uote\", x'0A', b'01', N'text'", 'SELECT ?, ?, ?, ?, ?'],
    ['SELECT 1.5e-3, -7, .5, 0x1F FROM t2', 'SELECT ?, -?, ?, ? FROM t2'],
    ['SELECT `col1`, table2.col3 FROM `db1`.`t1`', 'SELECT `col1`, table2.col3 FROM `db1`.`t1`'],
    ["SELECT 1 -- it's a comment\n", "SELECT ? -- it's a comment\n"],
    ["SELECT /* don't */ 2 # isn't\n", "SELECT /* don't */ ? # isn't\n"],
    ['INSERT INTO t (a) VALUES (?), (?)', 'INSERT INTO t (a) VALUES (?), (?)'],
    ["SELECT 'unterminated", 'SELECT ?'],
  ])('%j becomes %j', (sql, text) => {
    expect(sanitizeSql(sql)).toBe(text);
  });
});

describe('describeSql', () => {
  it.each([
    ['SELECT name FROM users WHERE id = ?', 'SELECT', 'users'],
    ['  /* report */ select count(*) from `app`.`orders`', 'SELECT', '`app`.`orders`'],
    ['INSERT IGNORE INTO users VALUES (1)', 'INSERT', 'users'],
    ['REPLACE INTO sessions SET id = 1', 'REPLACE', 'sessions'],
    ['UPDATE LOW_PRIORITY users SET a = 1', 'UPDATE', 'users'],
    ['DELETE FROM users WHERE id = 1', 'DELETE', 'users'],
    ['CREATE TABLE IF NOT EXISTS users (id INT)', 'CREATE', 'users'],
    ['TRUNCATE TABLE logs', 'TRUNCATE', 'logs'],
    ['(SELECT a FROM t1) UNION (SELECT a FROM t2)', 'SELECT', 't1'],
    ['SELECT * FROM (SELECT 1) AS derived', 'SELECT', undefined],
    ['COMMIT', 'COMMIT', undefined],
    ['', undefined, undefined],
  ])('%j is %s on %s', (sql, operation, collection) => {
    const statement = describeSql(sql);
    expect(statement.operation).toBe(operation);
    expect(statement.collection).toBe(collection);
  });

  it('cuts a very long statement', () => {
    const sql = `SELECT ${'a, '.repeat(5000)}b FROM t`;
    expect(describeSql(sql).text).toHaveLength(4096);
  });
});
