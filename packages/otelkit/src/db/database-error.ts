/** What a failed operation's error says, in the words of the database conventions. */
export interface DatabaseErrorFacts {
  /** `error.type`: the driver's error code (`ER_NO_SUCH_TABLE`, `ECONNREFUSED`), a Redis error prefix, or the error's name. */
  readonly type: string;
  /** `db.response.status_code`: the server's own code (the MySQL error number, the Redis error prefix), when the server answered. */
  readonly statusCode: string | undefined;
}

// A Redis error reply starts with its prefix in capitals: `WRONGTYPE Operation against a key…`.
const REDIS_PREFIX = /^[A-Z][A-Z0-9_]*(?=\s|$)/;

/** Whether `error` is a Redis error reply: its name or a class it extends says so (node-redis: `SimpleError` extends `ErrorReply`). */
function isReply(error: object, name: unknown): boolean {
  if (typeof name === 'string' && name.includes('Reply')) return true;
  let prototype: unknown = Object.getPrototypeOf(error);
  for (let depth = 0; depth < 4 && prototype !== null && prototype !== Error.prototype; depth++) {
    const constructorName: unknown = (prototype as { constructor?: { name?: unknown } }).constructor
      ?.name;
    if (typeof constructorName === 'string' && constructorName.includes('Reply')) return true;
    prototype = Object.getPrototypeOf(prototype);
  }
  return false;
}

/** Reads `error.type` and `db.response.status_code` from a driver's error; never throws. */
export function databaseErrorFacts(error: unknown): DatabaseErrorFacts {
  if (typeof error !== 'object' || error === null) return { type: 'Error', statusCode: undefined };
  try {
    const { code, errno, sqlState, name, message } = error as Record<string, unknown>;
    // mysql2: an error packet from the server carries its SQL state and error number.
    if (typeof sqlState === 'string' && typeof errno === 'number') {
      return {
        type: typeof code === 'string' && code !== '' ? code : String(errno),
        statusCode: String(errno),
      };
    }
    if (typeof code === 'string' && code !== '') return { type: code, statusCode: undefined };
    // node-redis `ErrorReply`, ioredis `ReplyError`: the server's error line.
    if (isReply(error, name) && typeof message === 'string') {
      const prefix = REDIS_PREFIX.exec(message)?.[0];
      if (prefix !== undefined) return { type: prefix, statusCode: prefix };
    }
    return {
      type: typeof name === 'string' && name !== '' ? name : 'Error',
      statusCode: undefined,
    };
  } catch {
    // A hostile error (throwing getters) is still an error.
    return { type: 'Error', statusCode: undefined };
  }
}
