import type {
  ExportBatch,
  LogRecordRow,
  MetricPointRecord,
  Signal,
  SpanRecord,
} from '../records.ts';
import { decodeProblem, type ExportItems, type ItemGroup } from './export-items.ts';
import { type ItemRules, itemRules } from './item-rules.ts';
import { type DecodedLog, toLogRecord } from './log-records.ts';
import { type DecodedPoint, metricProblem, toMetricPointRecord } from './metric-records.ts';
import { type GroupOrigins, resourceOrigin, scopeOrigin } from './origin.ts';
import { RejectionLog } from './rejection-log.ts';
import { type DecodedSpan, toSpanRecord } from './span-records.ts';

/** The word for one item of each signal, as refusals name them. */
export const itemNouns: Record<Signal, string> = {
  traces: 'span',
  logs: 'log record',
  metrics: 'data point',
};

/**
 * Converts items `from` to `to` (excluded) of an export to records, each decoded and checked on
 * its own: one that cannot be stored is counted in `rejections` with its reason and the others
 * are kept.
 */
export function toExportBatch(
  items: ExportItems,
  from: number,
  to: number,
  rules: ItemRules,
  rejections: RejectionLog,
): ExportBatch {
  const origins = new Map<ItemGroup, GroupOrigins>();
  const records: (SpanRecord | LogRecordRow | MetricPointRecord)[] = [];
  for (let i = from; i < to; i++) {
    const group = items.groupOf(i);
    const problem = group.problem ?? (group.metric ? metricProblem(group.metric) : undefined);
    if (problem) {
      rejections.add(items.labelOf(i), problem, problem);
      continue;
    }
    let decoded: unknown;
    try {
      decoded = items.decode(i);
    } catch (error) {
      const reason = decodeProblem(error);
      const kind = reason.startsWith('a value is nested') ? reason : 'unreadable';
      rejections.add(items.labelOf(i), reason, kind);
      continue;
    }
    let origin = origins.get(group);
    if (!origin) {
      origin = {
        resource: resourceOrigin(group.resource, group.resourceSchemaUrl),
        scope: scopeOrigin(group.scope, group.scopeSchemaUrl),
      };
      origins.set(group, origin);
    }
    const record =
      items.signal === 'traces'
        ? toSpanRecord(decoded as DecodedSpan, origin, rules, rejections)
        : items.signal === 'logs'
          ? toLogRecord(decoded as DecodedLog, origin, rules, rejections)
          : toMetricPointRecord(decoded as DecodedPoint, group.metric!, origin, rules, rejections);
    if (record) records.push(record);
  }
  return { signal: items.signal, records } as ExportBatch;
}

type DecodedGroup = {
  resource?: ItemGroup['resource'] | null;
  schemaUrl?: string | null;
} & Record<string, unknown>;

const layout = {
  traces: ['resourceSpans', 'scopeSpans', 'spans'],
  logs: ['resourceLogs', 'scopeLogs', 'logRecords'],
  metrics: ['resourceMetrics', 'scopeMetrics', 'metrics'],
} as const;

/**
 * The items of a request already decoded by protobufjs (`Export*ServiceRequest.decode` or
 * `fromObject`), for code that builds its requests itself.
 */
export function decodedItems(signal: Signal, request: unknown): ExportItems {
  const [groupsKey, scopesKey, itemsKey] = layout[signal];
  const groups: ItemGroup[] = [];
  const items: unknown[] = [];
  const groupIndex: number[] = [];
  const list = (value: unknown) => (Array.isArray(value) ? (value as DecodedGroup[]) : []);
  for (const group of list((request as DecodedGroup)[groupsKey])) {
    for (const scopeGroup of list(group[scopesKey])) {
      const base: ItemGroup = {
        resource: group.resource ?? undefined,
        resourceSchemaUrl: group.schemaUrl ?? '',
        scope: (scopeGroup.scope as ItemGroup['scope']) ?? undefined,
        scopeSchemaUrl: scopeGroup.schemaUrl ?? '',
      };
      const add = (g: ItemGroup, members: unknown[]) => {
        groups.push(g);
        for (const member of members) {
          items.push(member);
          groupIndex.push(groups.length - 1);
        }
      };
      if (signal !== 'metrics') {
        add(base, list(scopeGroup[itemsKey]));
        continue;
      }
      for (const metric of list(scopeGroup[itemsKey])) {
        const type = typeof metric.data === 'string' ? metric.data : '';
        const data = (type ? metric[type] : {}) as DecodedGroup;
        add(
          {
            ...base,
            metric: {
              name: (metric.name as string) ?? '',
              description: (metric.description as string) ?? '',
              unit: (metric.unit as string) ?? '',
              type,
              aggregationTemporality: (data.aggregationTemporality as number) ?? 0,
              isMonotonic: (data.isMonotonic as boolean) ?? false,
            },
          },
          list(data.dataPoints),
        );
      }
    }
  }
  return {
    signal,
    count: items.length,
    groupOf: (index) => groups[groupIndex[index]!]!,
    labelOf: (index) => groups[groupIndex[index]!]!.metric?.name ?? '',
    decode: (index) => items[index],
  };
}

/** Every record of a decoded request, as the receiver would store it now. */
export function requestRecords(signal: Signal, request: unknown, maxAgeMs: number): ExportBatch {
  const items = decodedItems(signal, request);
  return toExportBatch(items, 0, items.count, itemRules(maxAgeMs), new RejectionLog('item'));
}
