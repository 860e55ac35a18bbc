/** The JSON the viewer's API serves (mirrors the server's view types). */

export type AnyValue = Record<string, unknown>;

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  hasRoot: boolean;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
}

export interface SpanEvent {
  timeUnixNano: string;
  name: string;
  attributes: KeyValue[];
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: KeyValue[];
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: number; message: string };
  attributes: KeyValue[];
  events: SpanEvent[];
  links: SpanLink[];
  service: string;
  resource: { attributes?: KeyValue[] };
  scope: { name?: string; version?: string };
}

export interface LogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: KeyValue[];
  spanId: string;
  service: string;
}

export interface MetricPoint {
  attributes: KeyValue[];
  timeUnixNano: string;
  [field: string]: unknown;
}

export interface Metric {
  name: string;
  description: string;
  unit: string;
  type: string;
  service: string;
  points: MetricPoint[];
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  }
  return (await response.json()) as T;
}

/** Services seen in any signal. */
export async function fetchServices(): Promise<string[]> {
  return (await getJson<{ services: string[] }>('/api/services')).services;
}

/** The trace list for a query string built by the filters. */
export async function fetchTraces(query: URLSearchParams): Promise<TraceSummary[]> {
  return (await getJson<{ traces: TraceSummary[] }>(`/api/traces?${query}`)).traces;
}

/** The spans of one trace. */
export async function fetchTrace(traceId: string): Promise<Span[]> {
  return (await getJson<{ spans: Span[] }>(`/api/traces/${encodeURIComponent(traceId)}`)).spans;
}

/** The log records of one trace. */
export async function fetchTraceLogs(traceId: string): Promise<LogRecord[]> {
  const path = `/api/traces/${encodeURIComponent(traceId)}/logs`;
  return (await getJson<{ logs: LogRecord[] }>(path)).logs;
}

/** The latest points of every metric. */
export async function fetchMetrics(): Promise<Metric[]> {
  return (await getJson<{ metrics: Metric[] }>('/api/metrics')).metrics;
}
