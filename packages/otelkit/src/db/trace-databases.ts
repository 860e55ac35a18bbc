import type { DatabaseOptions } from './database-options.ts';
import { DatabaseTracer, type InstrumentationLike } from './database-tracer.ts';
import { subscribeIoredis } from './ioredis-channels.ts';
import { subscribeMysql2 } from './mysql2-channels.ts';
import { subscribeNodeRedis } from './node-redis-channels.ts';

/**
 * The process-wide installation, shared by every copy of otelkit through a
 * `Symbol.for` key: two copies subscribing twice would trace every operation
 * twice. Its shape is kept stable across otelkit versions.
 */
interface DatabaseTracingRegistry {
  readonly version: 1;
  /** Adds one holder with its options (the newest holder's apply) and returns its release. */
  acquire(options: DatabaseOptions, official: readonly InstrumentationLike[]): () => void;
}

const REGISTRY = Symbol.for('otelkit.database-tracing');

/**
 * Traces database and cache clients from the tracing channels their drivers
 * publish (mysql2 3.20 on, node-redis 5.12 on, ioredis 5.11 on), with no
 * patching and no loader hook, and without loading any driver: a channel
 * nobody publishes on costs nothing. A client whose official instrumentation
 * is among `official` and enabled is left to it. Returns the uninstall, which
 * ends the operations still open.
 */
export function traceDatabases(
  options: DatabaseOptions = {},
  official: readonly InstrumentationLike[] = [],
): () => void {
  const holder = globalThis as { [REGISTRY]?: DatabaseTracingRegistry };
  let registry = holder[REGISTRY];
  if (registry?.version !== 1) {
    registry = createRegistry();
    Object.defineProperty(holder, REGISTRY, { value: registry, configurable: true });
  }
  return registry.acquire(options, official);
}

function createRegistry(): DatabaseTracingRegistry {
  const holders: { options: DatabaseOptions; official: readonly InstrumentationLike[] }[] = [];
  let tracer: DatabaseTracer | undefined;
  let unsubscribe: (() => void)[] = [];
  return {
    version: 1,
    acquire(options, official) {
      const entry = { options, official };
      holders.push(entry);
      if (tracer === undefined) {
        tracer = new DatabaseTracer(options, official);
        unsubscribe = [
          subscribeMysql2(tracer),
          subscribeNodeRedis(tracer),
          subscribeIoredis(tracer),
        ];
      } else {
        tracer.configure(options, official);
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holders.splice(holders.indexOf(entry), 1);
        const newest = holders.at(-1);
        if (newest !== undefined) {
          tracer?.configure(newest.options, newest.official);
          return;
        }
        for (const leave of unsubscribe) leave();
        unsubscribe = [];
        tracer?.endAll();
        tracer = undefined;
      };
    },
  };
}
