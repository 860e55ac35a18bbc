// The int64 fields of the OTLP messages, by their JSON names: fixed64 and uint64 ones, then
// int64 and sfixed64 ones.
const unsignedFields = new Set([
  'timeUnixNano',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'observedTimeUnixNano',
  'count',
  'bucketCounts',
  'zeroCount',
]);
const signedFields = new Set(['intValue', 'asInt']);

const maxUnsigned = 2n ** 64n - 1n;
const minSigned = -(2n ** 63n);
const maxSigned = 2n ** 63n - 1n;

function int64Problem(field: string, value: unknown, signed: boolean): string | undefined {
  if (value === null || value === undefined) return undefined;
  let int: bigint;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return `${field} ${value} is not an integer`;
    int = BigInt(value);
  } else if (typeof value === 'string') {
    if (!/^-?\d+$/.test(value)) return `${field} "${value}" is not an integer`;
    int = BigInt(value);
  } else {
    return `${field} is not an integer`;
  }
  const inRange = signed ? int >= minSigned && int <= maxSigned : int >= 0n && int <= maxUnsigned;
  return inRange ? undefined : `${field} ${int} is out of the ${signed ? 'int64' : 'uint64'} range`;
}

/** The first malformed int64 anywhere inside `value` (an item of a parsed OTLP/JSON request). */
export function findMalformedInt64(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = findMalformedInt64(item);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [field, child] of Object.entries(value)) {
    const signed = signedFields.has(field);
    if (signed || unsignedFields.has(field)) {
      const values = Array.isArray(child) ? child : [child];
      for (const item of values) {
        const problem = int64Problem(field, item, signed);
        if (problem) return problem;
      }
    } else if (typeof child === 'object' && child !== null) {
      const problem = findMalformedInt64(child);
      if (problem) return problem;
    }
  }
  return undefined;
}
