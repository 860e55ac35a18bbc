import type { Accepted, MetricPointRecord } from '../records.ts';
import { type DecodedKeyValue, doubleToJson, packList } from './any-value.ts';
import { toHex } from './hex.ts';
import { type LongLike, toBigInt } from './long-value.ts';
import { type DecodedResource, type DecodedScope, resourceOrigin, scopeOrigin } from './origin.ts';
import { RejectionLog } from './rejection-log.ts';

/** A decoded `ExportMetricsServiceRequest`. */
export interface DecodedMetricsRequest {
  resourceMetrics?:
    | {
        resource?: DecodedResource | null;
        scopeMetrics?:
          | { scope?: DecodedScope | null; metrics?: DecodedMetric[] | null; schemaUrl?: string }[]
          | null;
        schemaUrl?: string | null;
      }[]
    | null;
}

interface DecodedMetric {
  name?: string | null;
  description?: string | null;
  unit?: string | null;
  /** The set member of the `data` oneof. */
  data?: string;
  [type: string]: unknown;
}

interface DecodedPoints {
  dataPoints?: DecodedPoint[] | null;
  aggregationTemporality?: number | null;
  isMonotonic?: boolean | null;
}

type DecodedPoint = {
  attributes?: DecodedKeyValue[] | null;
  startTimeUnixNano?: LongLike | null;
  timeUnixNano?: LongLike | null;
} & Record<string, unknown>;

const metricTypes = new Set(['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary']);

/** Validates the metrics of a decoded request and converts their data points to rows. */
export function toMetricPointRecords(
  request: DecodedMetricsRequest,
  rejections = new RejectionLog('data point'),
): Accepted<MetricPointRecord> {
  const records: MetricPointRecord[] = [];
  for (const group of request.resourceMetrics ?? []) {
    const resource = resourceOrigin(group.resource, group.schemaUrl);
    for (const scopeGroup of group.scopeMetrics ?? []) {
      const scope = scopeOrigin(scopeGroup.scope, scopeGroup.schemaUrl);
      for (const metric of scopeGroup.metrics ?? []) {
        const type = metric.data;
        const data = (type ? metric[type] : undefined) as DecodedPoints | undefined;
        const points = data?.dataPoints ?? [];
        if (!metric.name || !type || !metricTypes.has(type)) {
          const reason = metric.name ? 'metric has no data' : 'metric has no name';
          for (let i = 0; i < Math.max(points.length, 1); i++) rejections.add('', reason);
          continue;
        }
        for (const point of points) {
          records.push({
            name: metric.name,
            description: metric.description ?? '',
            unit: metric.unit ?? '',
            type,
            attributes: JSON.stringify(packList(point.attributes)),
            startTimeNs: toBigInt(point.startTimeUnixNano),
            timeNs: toBigInt(point.timeUnixNano),
            value: JSON.stringify({ ...pointValue(type, point), ...temporality(data) }),
            resource,
            scope,
          });
        }
      }
    }
  }
  return { records, rejected: rejections.count, errorMessage: rejections.message() };
}

function temporality(data: DecodedPoints | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (data?.aggregationTemporality) result.aggregationTemporality = data.aggregationTemporality;
  if (data?.isMonotonic) result.isMonotonic = true;
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
