import type { Accepted, ExceptionSummary, SpanRecord } from '../records.ts';
import { type DecodedKeyValue, packList } from './any-value.ts';
import { isValidId, toHex } from './hex.ts';
import { type LongLike, toBigInt } from './long-value.ts';
import { type DecodedResource, type DecodedScope, resourceOrigin, scopeOrigin } from './origin.ts';
import { RejectionLog } from './rejection-log.ts';
import { attributeTerms, stringAttribute, stringListAttribute } from './search-terms.ts';

/** A decoded `ExportTraceServiceRequest`. */
export interface DecodedTraceRequest {
  resourceSpans?: DecodedResourceSpans[] | null;
}

interface DecodedResourceSpans {
  resource?: DecodedResource | null;
  scopeSpans?: { scope?: DecodedScope | null; spans?: DecodedSpan[] | null; schemaUrl?: string }[];
  schemaUrl?: string | null;
}

interface DecodedSpan {
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

/** Validates the spans of a decoded request and converts the valid ones to records. */
export function toSpanRecords(
  request: DecodedTraceRequest,
  rejections = new RejectionLog('span'),
): Accepted<SpanRecord> {
  const records: SpanRecord[] = [];
  for (const group of request.resourceSpans ?? []) {
    const resource = resourceOrigin(group.resource, group.schemaUrl);
    for (const scopeGroup of group.scopeSpans ?? []) {
      const scope = scopeOrigin(scopeGroup.scope, scopeGroup.schemaUrl);
      for (const span of scopeGroup.spans ?? []) {
        const traceId = toHex(span.traceId);
        const spanId = toHex(span.spanId);
        const parentSpanId = toHex(span.parentSpanId);
        const startNs = toBigInt(span.startTimeUnixNano);
        const endNs = toBigInt(span.endTimeUnixNano);
        const problem = spanProblem(traceId, spanId, parentSpanId, startNs, endNs);
        if (problem) {
          rejections.add(span.name ?? '', problem);
          continue;
        }
        const attributes = packList(span.attributes);
        records.push({
          traceId,
          spanId,
          parentSpanId,
          name: span.name ?? '',
          kind: span.kind ?? 0,
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
          resource,
          scope,
          terms: attributeTerms(attributes),
          route: stringAttribute(attributes, 'http.route'),
          exception: span.status?.code === statusError ? exceptionOf(span) : undefined,
        });
      }
    }
  }
  return { records, rejected: rejections.count, errorMessage: rejections.message() };
}

const statusError = 2;

// The last `exception` event names what failed; a span may record several while retrying. A
// span that only set status ERROR (usually reporting the failure of what it called) has none.
function exceptionOf(span: DecodedSpan): ExceptionSummary | undefined {
  const event = span.events?.findLast((e) => e.name === 'exception');
  if (!event) return undefined;
  const attributes = packList(event?.attributes);
  const type = stringAttribute(attributes, 'exception.type');
  const chain = stringListAttribute(attributes, 'exception.chain.types');
  return {
    type,
    message: stringAttribute(attributes, 'exception.message') || (span.status?.message ?? ''),
    chainTypes: chain.length > 0 ? chain : type ? [type] : [],
  };
}

function spanProblem(
  traceId: string,
  spanId: string,
  parentSpanId: string,
  startNs: bigint,
  endNs: bigint,
): string | undefined {
  if (!isValidId(traceId, 16)) return `invalid trace id "${traceId}" (want 16 non-zero bytes)`;
  if (!isValidId(spanId, 8)) return `invalid span id "${spanId}" (want 8 non-zero bytes)`;
  if (parentSpanId !== '' && !isValidId(parentSpanId, 8)) {
    return `invalid parent span id "${parentSpanId}" (want 8 non-zero bytes or none)`;
  }
  if (endNs < startNs) return 'end time is before start time';
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
