import protobuf from 'protobufjs';
import type { Signal } from '../records.ts';
import {
  decodeProblem,
  type ExportItems,
  type ItemGroup,
  type MetricHeader,
} from './export-items.ts';
import { loadOtlpSchema } from './otlp-schema.ts';
import { type ByteRange, ItemRanges, walkMessage } from './wire-walk.ts';

// The metric's `data` oneof, by field number.
const dataFields: Record<number, string> = {
  5: 'gauge',
  7: 'sum',
  9: 'histogram',
  10: 'exponentialHistogram',
  11: 'summary',
};

/**
 * Splits a protobuf export request into its items without decoding them: the envelope
 * (resources, scopes, metrics) is walked field by field, every item kept as its byte range.
 * Items are decoded one by one later, each within protobufjs's nesting limit of its own.
 * @throws {Error} when the envelope itself is malformed (a length past the end, a bad tag).
 */
export function protobufItems(signal: Signal, body: Uint8Array): ExportItems {
  const schema = loadOtlpSchema();
  const groups: ItemGroup[] = [];
  const ranges = new ItemRanges();
  const request = walkMessage(body, { start: 0, length: body.length }, { message: [1] });
  for (const resourceGroup of request.messages.get(1) ?? []) {
    const resource = walkMessage(body, resourceGroup, { message: [1, 2], string: [3] });
    const decodedResource = decodeOptional<ItemGroup['resource']>(
      'resource',
      schema.resource,
      body,
      resource.messages.get(1)?.at(-1),
    );
    for (const scopeBytes of resource.messages.get(2) ?? []) {
      // The items (field 2) of a scope may be many: their ranges go straight into `ranges`.
      const items = { field: 2, ranges, group: groups.length };
      const scope = walkMessage(
        body,
        scopeBytes,
        signal === 'metrics'
          ? { message: [1, 2], string: [3] }
          : { message: [1], string: [3], items },
      );
      const decodedScope = decodeOptional<ItemGroup['scope']>(
        'scope',
        schema.scope,
        body,
        scope.messages.get(1)?.at(-1),
      );
      const base: ItemGroup = {
        resource: decodedResource.value,
        resourceSchemaUrl: resource.strings.get(3) ?? '',
        scope: decodedScope.value,
        scopeSchemaUrl: scope.strings.get(3) ?? '',
        problem: decodedResource.problem ?? decodedScope.problem,
      };
      if (signal !== 'metrics') {
        groups.push(base);
        continue;
      }
      for (const metricBytes of scope.messages.get(2) ?? []) {
        const header = metricOf(body, metricBytes, ranges, groups.length);
        groups.push({ ...base, metric: header });
      }
    }
  }
  const itemType =
    signal === 'traces' ? schema.span : signal === 'logs' ? schema.logRecord : undefined;
  return {
    signal,
    count: ranges.count,
    groupOf: (index) => groups[ranges.groups[index]!]!,
    labelOf(index) {
      const metric = groups[ranges.groups[index]!]!.metric;
      if (metric) return metric.name;
      // A span's name (field 5), a log record's event name (field 12).
      const field = signal === 'traces' ? 5 : 12;
      try {
        return walkMessage(body, ranges.at(index), { string: [field] }).strings.get(field) ?? '';
      } catch {
        return '';
      }
    },
    decode(index) {
      const type = itemType ?? schema.points[groups[ranges.groups[index]!]!.metric!.type]!;
      const itemReader = protobuf.Reader.create(body);
      itemReader.pos = ranges.starts[index]!;
      return type.decode(itemReader, ranges.lengths[index]!);
    },
  };
}

// A metric's name, description, unit and data settings; its points go into `ranges`.
function metricOf(
  body: Uint8Array,
  bytes: ByteRange,
  ranges: ItemRanges,
  group: number,
): MetricHeader {
  const metric = walkMessage(body, bytes, { message: [5, 7, 9, 10, 11], string: [1, 2, 3] });
  const header: MetricHeader = {
    name: metric.strings.get(1) ?? '',
    description: metric.strings.get(2) ?? '',
    unit: metric.strings.get(3) ?? '',
    type: '',
    aggregationTemporality: 0,
    isMonotonic: false,
  };
  // Of several data fields (a oneof), the last one wins, as protobuf reads them.
  const last = Object.entries(dataFields).findLast(([field]) => metric.messages.has(Number(field)));
  if (!last) return header;
  const data = metric.messages.get(Number(last[0]))!.at(-1)!;
  const settings = walkMessage(body, data, {
    varint: [2, 3],
    items: { field: 1, ranges, group },
  });
  header.type = last[1];
  header.aggregationTemporality = settings.varints.get(2) ?? 0;
  header.isMonotonic = (settings.varints.get(3) ?? 0) !== 0;
  return header;
}

function decodeOptional<T>(
  label: string,
  type: protobuf.Type,
  body: Uint8Array,
  bytes: ByteRange | undefined,
): { value: T | undefined; problem?: string } {
  if (!bytes) return { value: undefined };
  try {
    const reader = protobuf.Reader.create(body);
    reader.pos = bytes.start;
    return { value: type.decode(reader, bytes.length) as T };
  } catch (error) {
    return { value: undefined, problem: `its ${label}: ${decodeProblem(error)}` };
  }
}
