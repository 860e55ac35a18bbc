import {
  type Attributes,
  createTraceState,
  type HrTime,
  type Link,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
} from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';

/**
 * The plain, structured-cloneable form in which spans and log records cross
 * to the export worker. Resources and scopes travel once per exporter and are
 * referred to by number afterwards.
 */
export interface WireScope {
  name: string;
  version?: string | undefined;
  schemaUrl?: string | undefined;
}

interface WireContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  traceState?: string | undefined;
  isRemote?: boolean | undefined;
}

export interface WireSpan {
  name: string;
  kind: SpanKind;
  context: WireContext;
  parent: WireContext | undefined;
  startTime: HrTime;
  endTime: HrTime;
  duration: HrTime;
  status: SpanStatus;
  attributes: Attributes;
  links: {
    context: WireContext;
    attributes?: Attributes | undefined;
    droppedAttributesCount?: number | undefined;
  }[];
  events: TimedEvent[];
  dropped: [attributes: number, events: number, links: number];
  resource: number;
  scope: number;
}

export interface WireLogRecord
  extends Omit<ReadableLogRecord, 'resource' | 'instrumentationScope' | 'spanContext'> {
  spanContext: WireContext | undefined;
  resource: number;
  scope: number;
}

/** What one export message carries besides its items: origins not sent before. */
export interface WireOrigins {
  resources: [id: number, attributes: Attributes, schemaUrl: string | undefined][];
  scopes: [id: number, scope: WireScope][];
}

/** Numbers resources and scopes by identity, so each crosses the thread boundary once. */
export class OriginIds {
  readonly #resources = new WeakMap<Resource, number>();
  readonly #scopes = new Map<string, number>();
  #next = 0;

  resource(resource: Resource, fresh: WireOrigins): number {
    let id = this.#resources.get(resource);
    if (id === undefined) {
      id = this.#next++;
      this.#resources.set(resource, id);
      fresh.resources.push([id, resource.attributes, resource.schemaUrl]);
    }
    return id;
  }

  scope(scope: WireScope, fresh: WireOrigins): number {
    const key = `${scope.name}\u0000${scope.version ?? ''}\u0000${scope.schemaUrl ?? ''}`;
    let id = this.#scopes.get(key);
    if (id === undefined) {
      id = this.#next++;
      this.#scopes.set(key, id);
      fresh.scopes.push([
        id,
        { name: scope.name, version: scope.version, schemaUrl: scope.schemaUrl },
      ]);
    }
    return id;
  }
}

function toWireContext(context: SpanContext): WireContext {
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    traceFlags: context.traceFlags,
    traceState: context.traceState?.serialize(),
    isRemote: context.isRemote,
  };
}

export function toWireSpan(span: ReadableSpan, ids: OriginIds, fresh: WireOrigins): WireSpan {
  return {
    name: span.name,
    kind: span.kind,
    context: toWireContext(span.spanContext()),
    parent: span.parentSpanContext && toWireContext(span.parentSpanContext),
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    status: span.status,
    attributes: span.attributes,
    links: span.links.map((link: Link) => ({
      context: toWireContext(link.context),
      attributes: link.attributes,
      droppedAttributesCount: link.droppedAttributesCount,
    })),
    events: span.events,
    dropped: [span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount],
    resource: ids.resource(span.resource, fresh),
    scope: ids.scope(span.instrumentationScope, fresh),
  };
}

export function toWireLogRecord(
  record: ReadableLogRecord,
  ids: OriginIds,
  fresh: WireOrigins,
): WireLogRecord {
  return {
    hrTime: record.hrTime,
    hrTimeObserved: record.hrTimeObserved,
    spanContext: record.spanContext && toWireContext(record.spanContext),
    severityText: record.severityText,
    severityNumber: record.severityNumber,
    body: record.body,
    eventName: record.eventName,
    attributes: record.attributes,
    droppedAttributesCount: record.droppedAttributesCount,
    resource: ids.resource(record.resource, fresh),
    scope: ids.scope(record.instrumentationScope, fresh),
  };
}

/** The worker's side: origins by number, and SDK-shaped objects for the official exporters. */
export class OriginTable {
  readonly #resources = new Map<number, Resource>();
  readonly #scopes = new Map<number, WireScope>();

  add(origins: WireOrigins): void {
    for (const [id, attributes, schemaUrl] of origins.resources) {
      this.#resources.set(
        id,
        resourceFromAttributes(attributes, schemaUrl ? { schemaUrl } : undefined),
      );
    }
    for (const [id, scope] of origins.scopes) this.#scopes.set(id, scope);
  }

  span(wire: WireSpan): ReadableSpan {
    const context = fromWireContext(wire.context);
    return {
      name: wire.name,
      kind: wire.kind,
      spanContext: () => context,
      parentSpanContext: wire.parent && fromWireContext(wire.parent),
      startTime: wire.startTime,
      endTime: wire.endTime,
      duration: wire.duration,
      status: wire.status,
      attributes: wire.attributes,
      links: wire.links.map((link) => ({ ...link, context: fromWireContext(link.context) })),
      events: wire.events,
      ended: true,
      resource: this.#resources.get(wire.resource)!,
      instrumentationScope: this.#scopes.get(wire.scope)!,
      droppedAttributesCount: wire.dropped[0],
      droppedEventsCount: wire.dropped[1],
      droppedLinksCount: wire.dropped[2],
    };
  }

  logRecord(wire: WireLogRecord): ReadableLogRecord {
    return {
      ...wire,
      spanContext: wire.spanContext && fromWireContext(wire.spanContext),
      resource: this.#resources.get(wire.resource)!,
      instrumentationScope: this.#scopes.get(wire.scope)!,
    };
  }
}

function fromWireContext(wire: WireContext): SpanContext {
  const context: SpanContext = {
    traceId: wire.traceId,
    spanId: wire.spanId,
    traceFlags: wire.traceFlags,
  };
  if (wire.traceState) context.traceState = createTraceState(wire.traceState);
  if (wire.isRemote !== undefined) context.isRemote = wire.isRemote;
  return context;
}
