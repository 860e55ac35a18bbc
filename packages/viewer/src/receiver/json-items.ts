import type { Signal } from '../records.ts';
import {
  decodeProblem,
  type ExportItems,
  type ItemGroup,
  ItemProblem,
  type MetricHeader,
} from './export-items.ts';
import { findMalformedInt64 } from './int64-check.ts';
import { convertItemIds } from './json-ids.ts';
import { loadOtlpSchema } from './otlp-schema.ts';

type Json = Record<string, unknown>;

const layout = {
  traces: { groups: 'resourceSpans', scopes: 'scopeSpans', items: 'spans' },
  logs: { groups: 'resourceLogs', scopes: 'scopeLogs', items: 'logRecords' },
  metrics: { groups: 'resourceMetrics', scopes: 'scopeMetrics', items: 'metrics' },
} as const;

const metricTypes = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];

const objects = (value: unknown): Json[] =>
  Array.isArray(value)
    ? value.filter((item): item is Json => typeof item === 'object' && item !== null)
    : [];
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * The items of a parsed OTLP/JSON export request, each converted with the official schema only
 * when asked for, so that an item that cannot be (an int64 that is not an integer in its range,
 * a value nested too deep, a malformed id) is refused alone.
 * @throws {TypeError} when the request is not a JSON object of lists.
 */
export function jsonItems(signal: Signal, body: unknown): ExportItems {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TypeError('the body is not a JSON object');
  }
  const shape = layout[signal];
  const request = body as Json;
  if (request[shape.groups] !== undefined && !Array.isArray(request[shape.groups])) {
    throw new TypeError(`${shape.groups} is not a list`);
  }
  const schema = loadOtlpSchema();
  const groups: ItemGroup[] = [];
  const items: unknown[] = [];
  const groupIndex: number[] = [];
  for (const resourceGroup of objects(request[shape.groups])) {
    const resource = convert('resource', schema.resource, resourceGroup.resource);
    for (const scopeGroup of objects(resourceGroup[shape.scopes])) {
      const scope = convert('scope', schema.scope, scopeGroup.scope);
      const base: ItemGroup = {
        resource: resource.value as ItemGroup['resource'],
        resourceSchemaUrl: text(resourceGroup.schemaUrl),
        scope: scope.value as ItemGroup['scope'],
        scopeSchemaUrl: text(scopeGroup.schemaUrl),
        problem: resource.problem ?? scope.problem,
      };
      const listed = Array.isArray(scopeGroup[shape.items]) ? (scopeGroup[shape.items] as []) : [];
      if (signal !== 'metrics') {
        groups.push(base);
        for (const item of listed) {
          items.push(item);
          groupIndex.push(groups.length - 1);
        }
        continue;
      }
      for (const metric of objects(listed)) {
        const { header, points, problem } = metricOf(metric);
        groups.push({ ...base, metric: header, problem: base.problem ?? problem });
        for (const point of points) {
          items.push(point);
          groupIndex.push(groups.length - 1);
        }
      }
    }
  }
  const itemType =
    signal === 'traces' ? schema.span : signal === 'logs' ? schema.logRecord : undefined;
  return {
    signal,
    count: items.length,
    groupOf: (index) => groups[groupIndex[index]!]!,
    labelOf(index) {
      const metric = groups[groupIndex[index]!]!.metric;
      if (metric) return metric.name;
      const item = items[index] as Json | undefined;
      return text(signal === 'logs' ? item?.eventName : item?.name);
    },
    decode(index) {
      const item = items[index];
      const malformed = findMalformedInt64(item);
      if (malformed) throw new ItemProblem(malformed);
      convertItemIds(signal, item);
      const type = itemType ?? schema.points[groups[groupIndex[index]!]!.metric!.type]!;
      return type.fromObject(item as Json);
    },
  };
}

// A resource or scope converted, or why not (its items are then refused).
function convert(
  label: string,
  type: import('protobufjs').Type,
  value: unknown,
): { value?: unknown; problem?: string } {
  if (value === undefined || value === null) return {};
  try {
    const malformed = findMalformedInt64(value);
    if (malformed) throw new ItemProblem(malformed);
    return { value: type.fromObject(value as Json) };
  } catch (error) {
    return { problem: `its ${label}: ${decodeProblem(error)}` };
  }
}

// A metric's name, description, unit and data settings (enum names read as the schema spells
// them), and its data points, still JSON.
function metricOf(metric: Json): { header: MetricHeader; points: unknown[]; problem?: string } {
  const type = metricTypes.find((t) => typeof metric[t] === 'object' && metric[t] !== null) ?? '';
  const data = (type ? metric[type] : {}) as Json;
  const header: MetricHeader = {
    name: text(metric.name),
    description: text(metric.description),
    unit: text(metric.unit),
    type,
    aggregationTemporality: 0,
    isMonotonic: false,
  };
  const points = Array.isArray(data.dataPoints) ? (data.dataPoints as unknown[]) : [];
  if (!type) return { header, points };
  try {
    const decoded = loadOtlpSchema().metric.fromObject({
      [type]: {
        aggregationTemporality: data.aggregationTemporality,
        isMonotonic: data.isMonotonic,
      },
    }) as unknown as Record<string, { aggregationTemporality?: number; isMonotonic?: boolean }>;
    header.aggregationTemporality = decoded[type]?.aggregationTemporality ?? 0;
    header.isMonotonic = decoded[type]?.isMonotonic ?? false;
    return { header, points };
  } catch (error) {
    return { header, points, problem: `its metric: ${decodeProblem(error)}` };
  }
}
