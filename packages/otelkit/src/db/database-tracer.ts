import type { OpenOperations } from './client-operation.ts';
import type { DatabaseOptions } from './database-options.ts';

/** The clients traced from their channels, by the name their official instrumentation patches. */
export type DatabaseClient = 'mysql2' | 'node-redis' | 'ioredis';

/** The official instrumentation of each client: when it is active, the client is left to it. */
export const OFFICIAL_INSTRUMENTATIONS: Readonly<Record<DatabaseClient, string>> = {
  mysql2: '@opentelemetry/instrumentation-mysql2',
  'node-redis': '@opentelemetry/instrumentation-redis',
  ioredis: '@opentelemetry/instrumentation-ioredis',
};

/** The part of an OpenTelemetry `Instrumentation` read here: its name and whether it is enabled. */
export interface InstrumentationLike {
  readonly instrumentationName: string;
  getConfig?(): { enabled?: boolean };
}

/**
 * What every driver's channels share: the settings of the newest
 * installation, the operations still open, and which clients are left to
 * their official instrumentation.
 */
export class DatabaseTracer {
  queryText: boolean;
  readonly open: OpenOperations = new Set();
  // Looked up once per installation, not once per operation: setup() may hold dozens.
  private official = new Map<DatabaseClient, InstrumentationLike[]>();

  constructor(options: DatabaseOptions, official: readonly InstrumentationLike[]) {
    this.queryText = true;
    this.configure(options, official);
  }

  /** Applies the newest installation's options. */
  configure(options: DatabaseOptions, official: readonly InstrumentationLike[]): void {
    this.queryText = options.queryText !== false;
    const byClient = new Map<DatabaseClient, InstrumentationLike[]>();
    for (const [client, name] of Object.entries(OFFICIAL_INSTRUMENTATIONS)) {
      const found = official.filter(
        (instrumentation) => instrumentation?.instrumentationName === name,
      );
      if (found.length > 0) byClient.set(client as DatabaseClient, found);
    }
    this.official = byClient;
  }

  /**
   * Whether `client`'s operations belong to its official instrumentation,
   * registered with the same `setup()` and enabled: it traces them by
   * patching, and a second span per operation would be a duplicate.
   */
  defers(client: DatabaseClient): boolean {
    const official = this.official.get(client);
    if (official === undefined) return false;
    for (const instrumentation of official) {
      try {
        if (instrumentation.getConfig?.().enabled !== false) return true;
      } catch {
        return true;
      }
    }
    return false;
  }

  /** Ends every open operation: the channels report nothing more once they are left. */
  endAll(): void {
    for (const operation of [...this.open]) operation.end();
    this.open.clear();
  }
}
