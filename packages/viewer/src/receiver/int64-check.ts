import type { Signal } from '../records.ts';
import type { RejectionLog } from './rejection-log.ts';

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

const layout = {
  traces: { groups: 'resourceSpans', scopes: 'scopeSpans', items: ['spans'] },
  logs: { groups: 'resourceLogs', scopes: 'scopeLogs', items: ['logRecords'] },
  metrics: { groups: 'resourceMetrics', scopes: 'scopeMetrics', items: ['metrics'] },
} as const;

const metricTypes = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];

type Json = Record<string, unknown>;
const objects = (value: unknown): Json[] =>
  Array.isArray(value)
    ? value.filter((item): item is Json => typeof item === 'object' && item !== null)
    : [];

/**
 * Removes, in place, every item of a parsed OTLP/JSON request that holds an int64 which is not
 * an integer in its range (`"abc"`, `"1.5"`, `"99999999999999999999"`), and records why in
 * `rejections`: protobufjs would otherwise store 0 or a wrapped value. A malformed value in a
 * resource or scope refuses all of its items.
 */
export function refuseMalformedInt64(signal: Signal, body: Json, rejections: RejectionLog): void {
  const shape = layout[signal];
  for (const group of objects(body[shape.groups])) {
    const groupProblem = findMalformedInt64(group.resource);
    for (const scope of objects(group[shape.scopes])) {
      const scopeProblem = groupProblem ?? findMalformedInt64(scope.scope);
      if (signal === 'metrics') {
        for (const metric of objects(scope.metrics)) {
          for (const type of metricTypes) {
            const data = metric[type] as Json | undefined;
            if (data && Array.isArray(data.dataPoints)) {
              data.dataPoints = keepValid(data.dataPoints, scopeProblem, rejections, () =>
                String(metric.name ?? ''),
              );
            }
          }
        }
        continue;
      }
      const field = shape.items[0];
      if (Array.isArray(scope[field])) {
        scope[field] = keepValid(scope[field] as unknown[], scopeProblem, rejections, (item) =>
          typeof item.name === 'string' ? item.name : '',
        );
      }
    }
  }
}

function keepValid(
  items: unknown[],
  inherited: string | undefined,
  rejections: RejectionLog,
  label: (item: Json) => string,
): unknown[] {
  return items.filter((item) => {
    const problem = inherited ?? findMalformedInt64(item);
    if (problem)
      rejections.add(typeof item === 'object' && item ? label(item as Json) : '', problem);
    return !problem;
  });
}
