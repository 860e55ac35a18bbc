import { trace } from '@opentelemetry/api';
import { createClient } from 'redis';
import type { User } from './users-repository.ts';

const newClient = (url: string) => createClient({ url });
type Client = ReturnType<typeof newClient>;

/** How long a cached user stays, in seconds. */
const TTL_SECONDS = 60;

/**
 * User reads cached in Redis (`REDIS_URL`), through node-redis: otelkit traces
 * each command from its tracing channels, so a hit is a lone `GET users:<id>`
 * and a miss is a `GET`, the SQLite `SELECT`, then a `SET`. The span active at
 * the read says which with `app.cache.hit`. A cache that fails is skipped, never fatal.
 */
export class UserCache {
  readonly #client: Client;

  private constructor(client: Client) {
    this.#client = client;
  }

  /** Connects to the Redis at `url`. */
  static async connect(url: string): Promise<UserCache> {
    const client = newClient(url);
    client.on('error', () => {}); // Reconnects by itself; each failed command is on its span.
    await client.connect();
    return new UserCache(client);
  }

  /** The user with `id` from the cache, or from `load` (then cached). */
  async read(id: number, load: () => User | undefined): Promise<User | undefined> {
    const cached = await this.#client.get(key(id)).catch(() => null);
    trace.getActiveSpan()?.setAttribute('app.cache.hit', cached !== null);
    if (cached !== null) return JSON.parse(cached) as User;
    const user = load();
    if (user !== undefined) {
      await this.#client.set(key(id), JSON.stringify(user), { EX: TTL_SECONDS }).catch(() => {});
    }
    return user;
  }

  /** Drops the cached user with `id`. */
  async forget(id: number): Promise<void> {
    await this.#client.del(key(id)).catch(() => {});
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}

function key(id: number): string {
  return `users:${id}`;
}
