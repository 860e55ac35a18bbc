import { startOperation } from './client-operation.ts';
import type { DatabaseTracer } from './database-tracer.ts';
import { callerContext, subscribeOperations } from './operation-channel.ts';
import { describeSql } from './sql-statement.ts';

/** What mysql2 (3.20 on) publishes on `mysql2:query` and `mysql2:execute`. */
interface StatementMessage {
  /** `query()`: the SQL with the values already written in; `execute()`: the SQL with its `?`. */
  readonly query: string;
  readonly values?: unknown;
  readonly database: string;
  readonly serverAddress: string;
  readonly serverPort: number | undefined;
}

/** What mysql2 publishes on `mysql2:connect` (`result`: the server's greeting) and `mysql2:pool:connect`. */
interface ConnectMessage {
  readonly database: string;
  readonly serverAddress: string;
  readonly serverPort: number | undefined;
  readonly result?: { readonly serverVersion?: unknown };
}

// The channels do not say which server answers: its greeting does
// (`10.11.6-MariaDB`), once per connection. Kept per address, a few at most.
const MAX_SERVERS = 64;
const systems = new Map<string, 'mysql' | 'mariadb'>();

function systemOf(message: { serverAddress: string; serverPort: number | undefined }) {
  return systems.get(`${message.serverAddress}:${message.serverPort}`) ?? 'mysql';
}

/**
 * Traces mysql2 from its tracing channels: `query()` and `execute()` (with
 * callbacks, promises or streams), connections and pool waits. Returns the
 * unsubscribe.
 */
export function subscribeMysql2(tracer: DatabaseTracer): () => void {
  const statement = (message: StatementMessage) => {
    if (tracer.defers('mysql2')) return undefined;
    const { query } = message;
    if (typeof query !== 'string') return undefined;
    const sql = describeSql(query, !hasValues(message.values));
    const system = systemOf(message);
    return startOperation(
      {
        name: spanName(sql.operation, sql.collection, system),
        system,
        operation: sql.operation,
        collection: sql.collection,
        namespace: message.database || undefined,
        queryText: tracer.queryText ? sql.text : undefined,
        address: message.serverAddress,
        port: message.serverPort,
      },
      callerContext(),
      tracer.open,
    );
  };
  const statements = {
    start: statement,
    // The greeting came before the statement's result: the system is known by now.
    settle: (message: StatementMessage, operation: { end(system?: string): void }) =>
      operation.end(systemOf(message)),
  };
  const connection = (name: string) => ({
    start(message: ConnectMessage) {
      if (tracer.defers('mysql2')) return undefined;
      return startOperation(
        {
          name,
          system: systemOf(message),
          operation: undefined,
          connection: true,
          namespace: message.database || undefined,
          address: message.serverAddress,
          port: message.serverPort,
        },
        callerContext(),
        tracer.open,
      );
    },
    settle(message: ConnectMessage, operation: { end(system?: string): void }) {
      const version = message.result?.serverVersion;
      if (typeof version === 'string') {
        if (systems.size >= MAX_SERVERS) systems.clear();
        systems.set(
          `${message.serverAddress}:${message.serverPort}`,
          /mariadb/i.test(version) ? 'mariadb' : 'mysql',
        );
      }
      operation.end(systemOf(message));
    },
  });
  const leave = [
    subscribeOperations('mysql2:query', statements),
    subscribeOperations('mysql2:execute', statements),
    subscribeOperations('mysql2:connect', connection('connect')),
    subscribeOperations('mysql2:pool:connect', connection('pool connect')),
  ];
  return () => {
    for (const unsubscribe of leave) unsubscribe();
  };
}

function hasValues(values: unknown): boolean {
  if (values === undefined || values === null) return false;
  if (Array.isArray(values)) return values.length > 0;
  return typeof values === 'object';
}

/** `{db.operation.name} {db.collection.name}`, the operation alone, or the system. */
export function spanName(
  operation: string | undefined,
  collection: string | undefined,
  system: string,
): string {
  if (operation === undefined) return system;
  return collection === undefined ? operation : `${operation} ${collection}`;
}
