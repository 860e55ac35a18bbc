/** A 64-bit integer as protobufjs decodes it: a `Long`, or a number when it fits. */
export type LongLike = number | { low: number; high: number; unsigned?: boolean };

/** Converts a decoded 64-bit integer to a bigint without losing precision. */
export function toBigInt(value: LongLike | null | undefined, signed = false): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'number') return BigInt(value);
  const unsigned = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return signed && !value.unsigned ? BigInt.asIntN(64, unsigned) : unsigned;
}
