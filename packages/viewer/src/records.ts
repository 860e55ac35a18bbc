/**
 * The shapes the receiver hands to the store. Nested telemetry travels as JSON text: attributes,
 * events, links, log bodies and metric values in the packed form of `format/packed-value.ts`,
 * resources and scopes as OTLP/JSON. The API expands them back to OTLP/JSON, every type intact.
 */

/** A resource or instrumentation scope, stored once and shared by the records that cite it. */
export interface Origin {
  /** OTLP/JSON of the resource or scope, used as its identity. */
  json: string;
  /** `service.name` of the resource; empty for scopes. */
  service: string;
  /** Search terms of the resource's attributes (see `format/search-term.ts`); none for scopes. */
  terms: number[];
}

/** The exception a failed span recorded last, as the error list groups it. */
export interface ExceptionSummary {
  /** `exception.type`; empty when the span recorded no exception. */
  type: string;
  /** `exception.message`, else the status message. */
  message: string;
  /** `exception.chain.types`, outer error first; else just the type. */
  chainTypes: string[];
}

/** One valid span ready to store; ids are lowercase hex. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  statusCode: number;
  statusMessage: string;
  traceState: string;
  flags: number;
  attributes: string;
  events: string;
  links: string;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
  resource: Origin;
  scope: Origin;
  /** Search terms of the span's attributes. */
  terms: number[];
  /** The `http.route` attribute, or empty. */
  route: string;
  /** For a span with status ERROR that recorded an `exception` event, what failed. */
  exception: ExceptionSummary | undefined;
}

/** One valid log record ready to store; ids are lowercase hex or empty. */
export interface LogRecordRow {
  timeNs: bigint;
  observedTimeNs: bigint;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: string;
  traceId: string;
  spanId: string;
  flags: number;
  eventName: string;
  droppedAttributesCount: number;
  resource: Origin;
  scope: Origin;
  /** The body and attributes as plain text (`key=value` lines), for the log search. */
  text: string;
}

/** One metric data point ready to store. */
export interface MetricPointRecord {
  name: string;
  description: string;
  unit: string;
  /** `gauge`, `sum`, `histogram`, `exponentialHistogram` or `summary`. */
  type: string;
  /** OTLP/JSON of the point's attributes, also the identity of its series. */
  attributes: string;
  startTimeNs: bigint;
  timeNs: bigint;
  /** OTLP/JSON of the point without its attributes and times, plus the metric's temporality. */
  value: string;
  resource: Origin;
  scope: Origin;
}

/** The three OTLP signals. */
export type Signal = 'traces' | 'logs' | 'metrics';

/** Records to store, of one signal: an export request, or a slice of one. */
export type ExportBatch =
  | { signal: 'traces'; records: SpanRecord[] }
  | { signal: 'logs'; records: LogRecordRow[] }
  | { signal: 'metrics'; records: MetricPointRecord[] };
