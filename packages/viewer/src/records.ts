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

/** What made a span fail, as the error list groups it. */
export interface FailureSummary {
  /** `exception.type` of its last `exception` event, else its `error.type`; may be empty. */
  type: string;
  /** `exception.message` (or dd-trace's `error.message`), else the status message. */
  message: string;
  /** `exception.chain.types`, outer error first; else just the type. */
  chainTypes: string[];
  /**
   * True when the span recorded an `exception` event. A failure without one (a failed client
   * call, an SDK that sets only status and `error.type`) may be the echo of a failed child.
   */
  recorded: boolean;
  /**
   * For a failure without an `exception` event, the span it links to first (trace id and span
   * id, hex, joined), else empty: a crash handler links to the span that recorded the error
   * that crashed the process rather than recording it again.
   */
  linkedSpan: string;
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
  /** For a CLIENT span of a database or cache, its node on the service map: `mysql 10.0.0.5`. */
  database: string;
  /** The `url.full` attribute, or empty: what a client span called. */
  urlFull: string;
  /** The `otelkit.sampling.reason` attribute of a local root kept by tail sampling, or empty. */
  samplingReason: string;
  /** For a span with status ERROR, what failed. */
  failure: FailureSummary | undefined;
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
