import type { MetricPointRecord } from '../records.ts';
import { type DecodedKeyValue, doubleToJson, packList } from './any-value.ts';
import type { MetricHeader } from './export-items.ts';
import { toHex } from './hex.ts';
import { type ItemRules, timeProblem } from './item-rules.ts';
import { type LongLike, toBigInt } from './long-value.ts';
import type { GroupOrigins } from './origin.ts';
import type { RejectionLog } from './rejection-log.ts';

/** A decoded data point of any metric type. */
export type DecodedPoint = {
  attributes?: DecodedKeyValue[] | null;
  startTimeUnixNano?: LongLike | null;
  timeUnixNano?: LongLike | null;
} & Record<string, unknown>;

const metricTypes = new Set(['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary']);

/**
 * The reason every point of `metric` is refused (it has no name, or no data), or undefined.
 */
export function metricProblem(metric: MetricHeader): string | undefined {
  if (!metric.name) return 'metric has no name';
  if (!metricTypes.has(metric.type)) return 'metric has no data';
  return undefined;
}

/**
 * Converts one decoded data point of `metric` to its row, or records in `rejections` why it is
 * refused (a time the store cannot hold or retention would remove).
 */
export function toMetricPointRecord(
  point: DecodedPoint,
  metric: MetricHeader,
  origins: GroupOrigins,
  rules: ItemRules,
  rejections: RejectionLog,
): MetricPointRecord | undefined {
  const startTimeNs = toBigInt(point.startTimeUnixNano);
  const timeNs = toBigInt(point.timeUnixNano);
  const late = timeProblem(rules, { startTimeUnixNano: startTimeNs, timeUnixNano: timeNs }, [
    'timeUnixNano',
    timeNs,
  ]);
  if (late) {
    rejections.add(metric.name, late.reason, late.kind);
    return undefined;
  }
  return {
    name: metric.name,
    description: metric.description,
    unit: metric.unit,
    type: metric.type,
    attributes: JSON.stringify(packList(point.attributes)),
    startTimeNs,
    timeNs,
    value: JSON.stringify({ ...pointValue(metric.type, point), ...temporality(metric) }),
    resource: origins.resource,
    scope: origins.scope,
  };
}

function temporality(metric: MetricHeader): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (metric.aggregationTemporality) result.aggregationTemporality = metric.aggregationTemporality;
  if (metric.isMonotonic) result.isMonotonic = true;
  return result;
}

// The point in OTLP/JSON, without attributes and times (stored in their own columns).
function pointValue(type: string, point: DecodedPoint): Record<string, unknown> {
  const value: Record<string, unknown> = { flags: point.flags ?? 0 };
  const count = () => toBigInt(point.count as LongLike).toString();
  const optional = (name: string) => {
    const field = point[name];
    if (typeof field === 'number' && point[`_${name}`] === name) value[name] = doubleToJson(field);
  };
  switch (type) {
    case 'gauge':
    case 'sum':
      Object.assign(value, numberValue(point));
      break;
    case 'histogram':
      value.count = count();
      optional('sum');
      optional('min');
      optional('max');
      value.bucketCounts = ((point.bucketCounts as LongLike[]) ?? []).map((n) =>
        toBigInt(n).toString(),
      );
      value.explicitBounds = ((point.explicitBounds as number[]) ?? []).map(doubleToJson);
      break;
    case 'exponentialHistogram':
      value.count = count();
      optional('sum');
      optional('min');
      optional('max');
      value.scale = point.scale ?? 0;
      value.zeroCount = toBigInt(point.zeroCount as LongLike).toString();
      value.zeroThreshold = doubleToJson((point.zeroThreshold as number) ?? 0);
      value.positive = buckets(point.positive);
      value.negative = buckets(point.negative);
      break;
    case 'summary':
      value.count = count();
      value.sum = doubleToJson((point.sum as number) ?? 0);
      value.quantileValues = ((point.quantileValues as Record<string, number>[]) ?? []).map(
        (q) => ({ quantile: doubleToJson(q.quantile ?? 0), value: doubleToJson(q.value ?? 0) }),
      );
      break;
  }
  const exemplars = (point.exemplars as DecodedPoint[] | null | undefined) ?? [];
  if (exemplars.length > 0) value.exemplars = exemplars.map(exemplarToJson);
  return value;
}

function numberValue(point: Record<string, unknown>): Record<string, unknown> {
  if (point.value === 'asInt') return { asInt: toBigInt(point.asInt as LongLike, true).toString() };
  if (point.value === 'asDouble') return { asDouble: doubleToJson(point.asDouble as number) };
  return {};
}

function buckets(value: unknown): { offset: number; bucketCounts: string[] } {
  const b = (value ?? {}) as { offset?: number; bucketCounts?: LongLike[] };
  return {
    offset: b.offset ?? 0,
    bucketCounts: (b.bucketCounts ?? []).map((n) => toBigInt(n).toString()),
  };
}

function exemplarToJson(exemplar: DecodedPoint): Record<string, unknown> {
  return {
    filteredAttributes: packList(exemplar.filteredAttributes as DecodedKeyValue[]),
    timeUnixNano: toBigInt(exemplar.timeUnixNano).toString(),
    ...numberValue(exemplar),
    spanId: toHex(exemplar.spanId as Uint8Array),
    traceId: toHex(exemplar.traceId as Uint8Array),
  };
}
