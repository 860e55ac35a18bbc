import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { SpanKind } from '@opentelemetry/api';
import { currentSignal, withSpan } from 'otelkit';
import { ApiError, DatabaseError } from './errors.ts';
import { seedUsers } from './seed.ts';

export interface User {
  id: number;
  name: string;
  email: string;
  createdAt: string;
}

type Row = { id: number; name: string; email: string; created_at: string };

const SQL = {
  list: 'SELECT id, name, email, created_at FROM users ORDER BY id LIMIT ? OFFSET ?',
  get: 'SELECT id, name, email, created_at FROM users WHERE id = ?',
  insert:
    'INSERT INTO users (name, email, created_at) VALUES (?, ?, ?) RETURNING id, name, email, created_at',
  delete: 'DELETE FROM users WHERE id = ?',
  audit: 'INSERT INTO audit (at, action, user_id, trace_id) VALUES (?, ?, ?, ?)',
} as const;

/**
 * Users in SQLite. Every query is a client span named `{operation} {table}`
 * with the database semantic conventions and the query text with its `?`
 * placeholders: parameters, never values. A query checks the request's
 * signal first, so a request past its deadline stops touching the database.
 */
export class UsersRepository {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(file = ':memory:', seedCount = 300) {
    this.#db = new DatabaseSync(file);
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL, user_id INTEGER, trace_id TEXT);
    `);
    const { count } = this.#db.prepare('SELECT count(*) AS count FROM users').get() as {
      count: number;
    };
    if (count === 0) {
      const insert = this.#db.prepare(SQL.insert);
      this.#db.exec('BEGIN');
      for (const user of seedUsers(seedCount)) insert.get(user.name, user.email, user.createdAt);
      this.#db.exec('COMMIT');
    }
  }

  list(limit: number, offset: number): User[] {
    return this.#query('SELECT', 'list', (s) => s.all(limit, offset) as Row[]).map(toUser);
  }

  get(id: number): User | undefined {
    const row = this.#query('SELECT', 'get', (s) => s.get(id) as Row | undefined);
    return row && toUser(row);
  }

  create(name: string, email: string): User {
    const at = new Date().toISOString();
    try {
      return toUser(this.#query('INSERT', 'insert', (s) => s.get(name, email, at) as Row));
    } catch (error) {
      if (error instanceof DatabaseError && error.message.includes('UNIQUE')) {
        throw new ApiError('a user with this email exists', 'conflict', 'EMAIL_TAKEN', error);
      }
      throw error;
    }
  }

  delete(id: number): boolean {
    return this.#query('DELETE', 'delete', (s) => s.run(id).changes > 0);
  }

  /** Writes a batch of audit entries in one transaction. */
  writeAudit(entries: readonly { action: string; userId?: number; traceId?: string }[]): void {
    this.#query(
      'INSERT',
      'audit',
      (s) => {
        this.#db.exec('BEGIN');
        try {
          const at = new Date().toISOString();
          for (const e of entries) s.run(at, e.action, e.userId ?? null, e.traceId ?? null);
          this.#db.exec('COMMIT');
        } catch (error) {
          this.#db.exec('ROLLBACK');
          throw error;
        }
      },
      'audit',
    );
  }

  close(): void {
    this.#db.close();
  }

  #query<T>(
    operation: string,
    name: keyof typeof SQL,
    run: (statement: StatementSync) => T,
    collection = 'users',
  ): T {
    return withSpan(
      `${operation} ${collection}`,
      () => {
        currentSignal().throwIfAborted();
        try {
          return run(this.#statement(name));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new DatabaseError(message, operation, collection, error);
        }
      },
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'sqlite',
          'db.operation.name': operation,
          'db.collection.name': collection,
          'db.query.text': SQL[name],
        },
      },
    );
  }

  #statement(name: keyof typeof SQL): StatementSync {
    let statement = this.#statements.get(name);
    if (!statement) {
      statement = this.#db.prepare(SQL[name]);
      this.#statements.set(name, statement);
    }
    return statement;
  }
}

function toUser(row: Row): User {
  return { id: row.id, name: row.name, email: row.email, createdAt: row.created_at };
}
