/**
 * The connections a Redis client is setting up right now. While one is, the
 * driver itself sends the handshake (`HELLO`, `CLIENT SETINFO`, `AUTH`,
 * `SELECT`, a ready check) and ignores what the server thinks of it: those
 * are part of the connect span, not operations of the app, and a server that
 * does not know `CLIENT SETINFO` must not mark the app's trace as failed.
 */
export class ConnectionSetup {
  readonly #open = new Map<string, number>();

  /** A connection to `key` starts being set up. */
  begin(key: string): void {
    this.#open.set(key, (this.#open.get(key) ?? 0) + 1);
  }

  /** It is ready, or failed. */
  end(key: string): void {
    const left = (this.#open.get(key) ?? 1) - 1;
    if (left > 0) this.#open.set(key, left);
    else this.#open.delete(key);
  }

  /** Whether a connection to `key` is being set up. */
  has(key: string): boolean {
    return this.#open.size > 0 && this.#open.has(key);
  }
}

/** Commands a Redis driver sends on its own while it sets a connection up. */
const HANDSHAKE = new Set(['HELLO', 'CLIENT', 'AUTH', 'SELECT', 'INFO', 'READONLY', 'PING']);

/** Whether `command` (in capitals) is one a driver sends during the handshake. */
export function isHandshakeCommand(command: string): boolean {
  return HANDSHAKE.has(command);
}
