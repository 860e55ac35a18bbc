import { type JsonKeyValue, type PackedList, unpackList } from '../format/packed-value.ts';
import type { OriginReader, OriginView } from './origin-reader.ts';

/** A span as the API serves it: OTLP/JSON field names, hex ids, times as decimal strings. */
export interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: number; message: string };
  traceState: string;
  flags: number;
  attributes: JsonKeyValue[];
  droppedAttributesCount: number;
  events: EventView[];
  droppedEventsCount: number;
  links: LinkView[];
  droppedLinksCount: number;
  service: string;
  resource: OriginView;
  scope: OriginView;
}

/** A span event. */
export interface EventView {
  timeUnixNano: string;
  name: string;
  attributes: JsonKeyValue[];
  droppedAttributesCount: number;
}

/** A span link; `traceId` and `spanId` are hex. */
export interface LinkView {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: JsonKeyValue[];
  droppedAttributesCount: number;
  flags: number;
}

/** The columns `SELECT`ed for a span (see `trace-queries.ts`). */
export type SpanRow = Record<string, string | number | null>;

type Packed<T> = Omit<T, 'attributes'> & { attributes: PackedList };

/** Turns a stored span row into its API form. */
export function toSpanView(row: SpanRow, origins: OriginReader): SpanView {
  const events = JSON.parse(String(row.events)) as Packed<EventView>[];
  const links = JSON.parse(String(row.links)) as Packed<LinkView>[];
  return {
    traceId: String(row.trace_id),
    spanId: String(row.span_id),
    parentSpanId: String(row.parent_span_id),
    name: String(row.name),
    kind: Number(row.kind),
    startTimeUnixNano: String(row.start),
    endTimeUnixNano: String(row.end),
    status: { code: Number(row.status_code), message: String(row.status_message) },
    traceState: String(row.trace_state),
    flags: Number(row.flags),
    attributes: unpackList(JSON.parse(String(row.attributes)) as PackedList),
    droppedAttributesCount: Number(row.dropped_attributes),
    events: events.map((event) => ({ ...event, attributes: unpackList(event.attributes) })),
    droppedEventsCount: Number(row.dropped_events),
    links: links.map((link) => ({ ...link, attributes: unpackList(link.attributes) })),
    droppedLinksCount: Number(row.dropped_links),
    service: String(row.service),
    resource: origins.get(Number(row.resource_id)),
    scope: origins.get(Number(row.scope_id)),
  };
}
