import protobuf from 'protobufjs';
import type { Signal } from '../records.ts';
import {
  decodeProblem,
  type ExportItems,
  type ItemGroup,
  type MetricHeader,
} from './export-items.ts';
import { loadOtlpSchema } from './otlp-schema.ts';

const lengthDelimited = 2;
const varint = 0;

// The metric's `data` oneof, by field number.
const dataFields: Record<number, string> = {
  5: 'gauge',
  7: 'sum',
  9: 'histogram',
  10: 'exponentialHistogram',
  11: 'summary',
};

/** A message's bytes inside the request body. */
interface Span {
  start: number;
  length: number;
}

/**
 * Splits a protobuf export request into its items without decoding them: the envelope
 * (resources, scopes, metrics) is walked field by field, every item kept as its byte range.
 * Items are decoded one by one later, each within protobufjs's nesting limit of its own.
 * @throws {Error} when the envelope itself is malformed (a length past the end, a bad tag).
 */
export function protobufItems(signal: Signal, body: Uint8Array): ExportItems {
  const schema = loadOtlpSchema();
  const groups: ItemGroup[] = [];
  const ranges: Span[] = [];
  const groupIndex: number[] = [];
  const add = (group: ItemGroup, items: Span[]) => {
    groups.push(group);
    for (const item of items) {
      ranges.push(item);
      groupIndex.push(groups.length - 1);
    }
  };
  const reader = protobuf.Reader.create(body);
  for (const resourceGroup of fields(reader, body.length, 1)) {
    const resource = walk(reader, resourceGroup, { message: [1, 2], string: [3] });
    const decodedResource = decodeOptional<ItemGroup['resource']>(
      'resource',
      schema.resource,
      body,
      resource.messages.get(1)?.at(-1),
    );
    for (const scopeBytes of resource.messages.get(2) ?? []) {
      const scope = walk(reader, scopeBytes, { message: [1, 2], string: [3] });
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
      const items = scope.messages.get(2) ?? [];
      if (signal !== 'metrics') {
        add(base, items);
        continue;
      }
      for (const metricBytes of items) {
        const { header, points } = metricOf(reader, metricBytes);
        add({ ...base, metric: header }, points);
      }
    }
  }
  const itemType =
    signal === 'traces' ? schema.span : signal === 'logs' ? schema.logRecord : undefined;
  return {
    signal,
    count: ranges.length,
    groupOf: (index) => groups[groupIndex[index]!]!,
    labelOf(index) {
      const metric = groups[groupIndex[index]!]!.metric;
      if (metric) return metric.name;
      // A span's name (field 5), a log record's event name (field 12).
      const field = signal === 'traces' ? 5 : 12;
      try {
        return (
          walk(protobuf.Reader.create(body), ranges[index]!, { string: [field] }).strings.get(
            field,
          ) ?? ''
        );
      } catch {
        return '';
      }
    },
    decode(index) {
      const range = ranges[index]!;
      const type = itemType ?? schema.points[groups[groupIndex[index]!]!.metric!.type]!;
      const itemReader = protobuf.Reader.create(body);
      itemReader.pos = range.start;
      return type.decode(itemReader, range.length);
    },
  };
}

// A metric's name, description, unit and data settings, and the byte ranges of its points.
function metricOf(reader: protobuf.Reader, bytes: Span): { header: MetricHeader; points: Span[] } {
  const metric = walk(reader, bytes, { message: [5, 7, 9, 10, 11], string: [1, 2, 3] });
  const header: MetricHeader = {
    name: metric.strings.get(1) ?? '',
    description: metric.strings.get(2) ?? '',
    unit: metric.strings.get(3) ?? '',
    type: '',
    aggregationTemporality: 0,
    isMonotonic: false,
  };
  let points: Span[] = [];
  for (const [field, name] of Object.entries(dataFields)) {
    const data = metric.messages.get(Number(field))?.at(-1);
    if (!data) continue;
    const settings = walk(reader, data, { message: [1], varint: [2, 3] });
    header.type = name;
    header.aggregationTemporality = settings.varints.get(2) ?? 0;
    header.isMonotonic = (settings.varints.get(3) ?? 0) !== 0;
    points = settings.messages.get(1) ?? [];
  }
  return { header, points };
}

interface Walked {
  messages: Map<number, Span[]>;
  strings: Map<number, string>;
  varints: Map<number, number>;
}

// Reads the fields of the message at `bytes`: the byte ranges of the message fields asked for,
// the strings and varints asked for (the last one wins, as in protobuf); skips every other field.
function walk(
  reader: protobuf.Reader,
  bytes: Span,
  wanted: { message?: number[]; string?: number[]; varint?: number[] },
): Walked {
  const walked: Walked = { messages: new Map(), strings: new Map(), varints: new Map() };
  reader.pos = bytes.start;
  const end = bytes.start + bytes.length;
  while (reader.pos < end) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === lengthDelimited && wanted.message?.includes(field)) {
      const length = reader.uint32();
      const start = reader.pos;
      reader.skip(length);
      const list = walked.messages.get(field) ?? [];
      list.push({ start, length });
      walked.messages.set(field, list);
    } else if (wireType === lengthDelimited && wanted.string?.includes(field)) {
      walked.strings.set(field, reader.string());
    } else if (wireType === varint && wanted.varint?.includes(field)) {
      walked.varints.set(field, reader.uint32());
    } else {
      reader.skipType(wireType);
    }
    if (reader.pos > end) throw new RangeError(`a field runs past the end of its message`);
  }
  return walked;
}

// The top-level repeated field `field` of the request: its byte ranges.
function fields(reader: protobuf.Reader, length: number, field: number): Span[] {
  return walk(reader, { start: 0, length }, { message: [field] }).messages.get(field) ?? [];
}

function decodeOptional<T>(
  label: string,
  type: protobuf.Type,
  body: Uint8Array,
  bytes: Span | undefined,
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
