/** The longest `db.query.text` of a Redis command: a longer one is cut. */
const MAX_TEXT = 2048;

// Which arguments of a command are keys. Everything else is a value, an
// option or a secret (AUTH, HELLO, CONFIG SET, MIGRATE) and is written `?`.
// Commands not listed here show no argument at all.
const ALL_KEYS = new Set([
  'DEL',
  'EXISTS',
  'MGET',
  'PFCOUNT',
  'PFMERGE',
  'RENAME',
  'RENAMENX',
  'RPOPLPUSH',
  'SDIFF',
  'SDIFFSTORE',
  'SINTER',
  'SINTERSTORE',
  'SUNION',
  'SUNIONSTORE',
  'TOUCH',
  'UNLINK',
  'WATCH',
]);
const TWO_KEYS = new Set(['BLMOVE', 'COPY', 'LMOVE', 'SMOVE', 'BRPOPLPUSH']);
/** Blocking pops: every argument is a key but the timeout at the end. */
const KEYS_THEN_TIMEOUT = new Set(['BLPOP', 'BRPOP', 'BZPOPMAX', 'BZPOPMIN']);
const KEY_VALUE_PAIRS = new Set(['MSET', 'MSETNX']);
/** `EVAL script numkeys key… arg…` and its kin: the keys follow the count. */
const SCRIPTS = new Set(['EVAL', 'EVALSHA', 'EVAL_RO', 'EVALSHA_RO', 'FCALL', 'FCALL_RO']);
const FIRST_KEY = new Set([
  'APPEND',
  'BITCOUNT',
  'BITPOS',
  'DECR',
  'DECRBY',
  'DUMP',
  'EXPIRE',
  'EXPIREAT',
  'EXPIRETIME',
  'GEOADD',
  'GEODIST',
  'GEOPOS',
  'GEOSEARCH',
  'GET',
  'GETBIT',
  'GETDEL',
  'GETEX',
  'GETRANGE',
  'GETSET',
  'HDEL',
  'HEXISTS',
  'HEXPIRE',
  'HGET',
  'HGETALL',
  'HGETDEL',
  'HGETEX',
  'HINCRBY',
  'HINCRBYFLOAT',
  'HKEYS',
  'HLEN',
  'HMGET',
  'HMSET',
  'HRANDFIELD',
  'HSCAN',
  'HSET',
  'HSETEX',
  'HSETNX',
  'HSTRLEN',
  'HVALS',
  'INCR',
  'INCRBY',
  'INCRBYFLOAT',
  'LINDEX',
  'LINSERT',
  'LLEN',
  'LPOP',
  'LPOS',
  'LPUSH',
  'LPUSHX',
  'LRANGE',
  'LREM',
  'LSET',
  'LTRIM',
  'PERSIST',
  'PEXPIRE',
  'PEXPIREAT',
  'PEXPIRETIME',
  'PFADD',
  'PSETEX',
  'PTTL',
  'RESTORE',
  'RPOP',
  'RPUSH',
  'RPUSHX',
  'SADD',
  'SCARD',
  'SET',
  'SETBIT',
  'SETEX',
  'SETNX',
  'SETRANGE',
  'SISMEMBER',
  'SMEMBERS',
  'SMISMEMBER',
  'SPOP',
  'SRANDMEMBER',
  'SREM',
  'SSCAN',
  'STRLEN',
  'TTL',
  'TYPE',
  'XACK',
  'XADD',
  'XDEL',
  'XLEN',
  'XRANGE',
  'XREVRANGE',
  'XTRIM',
  'ZADD',
  'ZCARD',
  'ZCOUNT',
  'ZINCRBY',
  'ZLEXCOUNT',
  'ZMSCORE',
  'ZPOPMAX',
  'ZPOPMIN',
  'ZRANGE',
  'ZRANGEBYLEX',
  'ZRANGEBYSCORE',
  'ZRANK',
  'ZREM',
  'ZREMRANGEBYLEX',
  'ZREMRANGEBYRANK',
  'ZREMRANGEBYSCORE',
  'ZREVRANGE',
  'ZREVRANGEBYSCORE',
  'ZREVRANK',
  'ZSCAN',
  'ZSCORE',
]);

/**
 * The `db.query.text` of a Redis command: its name and its key arguments,
 * every other argument written `?`. `args` are the arguments after the
 * command's name, as the driver reports them.
 */
export function redisQueryText(command: string, args: readonly unknown[], from = 0): string {
  const count = args.length - from;
  let text = command;
  for (let i = 0; i < count; i++) {
    text += isKey(command, i, count, args, from) ? ` ${String(args[from + i])}` : ' ?';
    if (text.length > MAX_TEXT) return text.slice(0, MAX_TEXT);
  }
  return text;
}

/** Whether the `index`-th of `count` arguments of `command` is a key. */
function isKey(
  command: string,
  index: number,
  count: number,
  args: readonly unknown[],
  from: number,
): boolean {
  if (FIRST_KEY.has(command)) return index === 0;
  if (ALL_KEYS.has(command)) return true;
  if (TWO_KEYS.has(command)) return index < 2;
  if (KEYS_THEN_TIMEOUT.has(command)) return index < count - 1;
  if (KEY_VALUE_PAIRS.has(command)) return index % 2 === 0;
  if (SCRIPTS.has(command)) {
    const keys = Number(args[from + 1]);
    return index === 1 || (index >= 2 && index < 2 + keys);
  }
  return false;
}
