import type { FailureSummary, SpanRecord } from '../records.ts';
import { type DecodedKeyValue, packList } from './any-value.ts';
import { isValidId, toHex } from './hex.ts';
import { type ItemRules, type TimeProblem, timeProblem } from './item-rules.ts';
import { type LongLike, toBigInt } from './long-value.ts';
import type { GroupOrigins } from './origin.ts';
import type { RejectionLog } from './rejection-log.ts';
import {
  attributeTerms,
  stringAttribute,
  stringAttributes,
  stringListAttribute,
} from './search-terms.ts';

/** A decoded `Span`. */
export interface DecodedSpan {
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
  parentSpanId?: Uint8Array | null;
  traceState?: string | null;
  flags?: number | null;
  name?: string | null;
  kind?: number | null;
  startTimeUnixNano?: LongLike | null;
  endTimeUnixNano?: LongLike | null;
  attributes?: DecodedKeyValue[] | null;
  droppedAttributesCount?: number | null;
  events?: DecodedEvent[] | null;
  droppedEventsCount?: number | null;
  links?: DecodedLink[] | null;
  droppedLinksCount?: number | null;
  status?: { code?: number | null; message?: string | null } | null;
}

interface DecodedEvent {
  timeUnixNano?: LongLike | null;
  name?: string | null;
  attributes?: DecodedKeyValue[] | null;
  droppedAttributesCount?: number | null;
}

interface DecodedLink {
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
  traceState?: string | null;
  attributes?: DecodedKeyValue[] | null;
  droppedAttributesCount?: number | null;
  flags?: number | null;
}

/**
 * Converts one decoded span to its record, or records in `rejections` why it is refused (an
 * invalid id, an end before its start, a time the store cannot hold or retention would remove).
 */
export function toSpanRecord(
  span: DecodedSpan,
  origins: GroupOrigins,
  rules: ItemRules,
  rejections: RejectionLog,
): SpanRecord | undefined {
  const traceId = toHex(span.traceId);
  const spanId = toHex(span.spanId);
  const parentSpanId = toHex(span.parentSpanId);
  const startNs = toBigInt(span.startTimeUnixNano);
  const endNs = toBigInt(span.endTimeUnixNano);
  const problem = spanProblem(traceId, spanId, parentSpanId, startNs, endNs);
  if (problem) {
    rejections.add(span.name ?? '', problem.reason, problem.kind);
    return undefined;
  }
  const late = timeProblem(rules, { startTimeUnixNano: startNs, endTimeUnixNano: endNs }, [
    'startTimeUnixNano',
    startNs,
  ]);
  if (late) {
    rejections.add(span.name ?? '', late.reason, late.kind);
    return undefined;
  }
  const attributes = packList(span.attributes);
  const known = stringAttributes(attributes, readAttributes);
  const kind = span.kind ?? 0;
  return {
    traceId,
    spanId,
    parentSpanId,
    name: span.name ?? '',
    kind,
    startNs,
    endNs,
    statusCode: span.status?.code ?? 0,
    statusMessage: span.status?.message ?? '',
    traceState: span.traceState ?? '',
    flags: span.flags ?? 0,
    attributes: JSON.stringify(attributes),
    events: span.events?.length ? JSON.stringify(span.events.map(eventToJson)) : '[]',
    links: span.links?.length ? JSON.stringify(span.links.map(linkToJson)) : '[]',
    droppedAttributesCount: span.droppedAttributesCount ?? 0,
    droppedEventsCount: span.droppedEventsCount ?? 0,
    droppedLinksCount: span.droppedLinksCount ?? 0,
    resource: origins.resource,
    scope: origins.scope,
    terms: attributeTerms(attributes),
    route: known['http.route'] ?? '',
    database: kind === client ? databaseOf(known) : '',
    urlFull: known['url.full'] ?? '',
    samplingReason: known['otelkit.sampling.reason'] ?? '',
    failure: span.status?.code === statusError ? failureOf(span, known) : undefined,
  };
}

const statusError = 2;
const client = 3;

// The span attributes the store reads, found in one pass.
const readKeys = [
  'http.route',
  'url.full',
  'db.system.name',
  'db.system',
  'server.address',
  'otelkit.sampling.reason',
  'error.type',
  'error.message',
  'error.msg',
  'exception.type',
  'exception.message',
] as const;
const readAttributes = new Set(readKeys);
type Known = Partial<Record<(typeof readKeys)[number], string>>;

// The database or cache a client span called, named by its system and address (the semantic
// conventions' `db.system.name`, or the older `db.system`).
function databaseOf(known: Known): string {
  const system = known['db.system.name'] || known['db.system'];
  if (!system) return '';
  const address = known['server.address'];
  return address ? `${system} ${address}` : system;
}

// The last `exception` event names what failed; a span may record several while retrying.
// Without one, the span's own error attributes do: `error.type` (the semantic conventions, and
// dd-trace with its `error.message`), else the status message; and its first link, to the span
// that may have recorded the error.
function failureOf(span: DecodedSpan, known: Known): FailureSummary {
  const status = span.status?.message ?? '';
  const event = span.events?.findLast((e) => e.name === 'exception');
  if (event) {
    const attributes = packList(event.attributes);
    const type = stringAttribute(attributes, 'exception.type');
    const chain = stringListAttribute(attributes, 'exception.chain.types');
    return {
      type,
      message: stringAttribute(attributes, 'exception.message') || status,
      chainTypes: chain.length > 0 ? chain : type ? [type] : [],
      recorded: true,
      linkedSpan: '',
    };
  }
  const type = known['error.type'] || known['exception.type'] || '';
  return {
    type,
    message: known['error.message'] || known['error.msg'] || known['exception.message'] || status,
    chainTypes: type ? [type] : [],
    recorded: false,
    linkedSpan: firstLink(span.links),
  };
}

function firstLink(links: DecodedSpan['links']): string {
  const link = links?.[0];
  return link ? toHex(link.traceId) + toHex(link.spanId) : '';
}

function spanProblem(
  traceId: string,
  spanId: string,
  parentSpanId: string,
  startNs: bigint,
  endNs: bigint,
): TimeProblem {
  const kind = 'an invalid id';
  if (!isValidId(traceId, 16)) {
    return { reason: `invalid trace id "${traceId}" (want 16 non-zero bytes)`, kind };
  }
  if (!isValidId(spanId, 8)) {
    return { reason: `invalid span id "${spanId}" (want 8 non-zero bytes)`, kind };
  }
  if (parentSpanId !== '' && !isValidId(parentSpanId, 8)) {
    return {
      reason: `invalid parent span id "${parentSpanId}" (want 8 non-zero bytes or none)`,
      kind,
    };
  }
  if (endNs < startNs) {
    return { reason: 'end time is before start time', kind: 'an end before its start' };
  }
  return undefined;
}

function eventToJson(event: DecodedEvent) {
  return {
    timeUnixNano: toBigInt(event.timeUnixNano).toString(),
    name: event.name ?? '',
    attributes: packList(event.attributes),
    droppedAttributesCount: event.droppedAttributesCount ?? 0,
  };
}

function linkToJson(link: DecodedLink) {
  return {
    traceId: toHex(link.traceId),
    spanId: toHex(link.spanId),
    traceState: link.traceState ?? '',
    attributes: packList(link.attributes),
    droppedAttributesCount: link.droppedAttributesCount ?? 0,
    flags: link.flags ?? 0,
  };
}
