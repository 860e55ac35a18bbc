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
  rootTarget: string;
  samplingReason: string;
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
  eventName: string;
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: KeyValue[];
  traceId: string;
  spanId: string;
  service: string;
  spanName?: string;
}

export interface ErrorGroup {
  service: string;
  type: string;
  route: string;
  message: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  chainTypes: string[];
  traceIds: string[];
  sparkline: number[];
}

export interface ErrorList {
  errors: ErrorGroup[];
  since: number;
  until: number;
  stepMs: number;
}

export interface DependencyEdge {
  parent: string;
  child: string;
  kind: 'service' | 'database';
  calls: number;
  errors: number;
}

export interface RedPoint {
  t: number;
  rate: number | null;
  errorRate: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface RedSeries {
  service: string;
  route: string;
  source: 'metric' | 'spans';
  points: RedPoint[];
}

export interface SeriesPoint {
  t: number;
  value?: number | string | null;
  rate?: number | null;
  count?: number | null;
  p50?: number | null;
  p95?: number | null;
  p99?: number | null;
}

export interface MetricSeriesView {
  name: string;
  description: string;
  unit: string;
  type: string;
  kind: 'rate' | 'value' | 'distribution';
  since: number;
  stepMs: number;
  series: { service: string; attributes: KeyValue[]; points: SeriesPoint[] }[];
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

export interface TracePage {
  traces: TraceSummary[];
  total: number;
  samplingServices: string[];
}

export interface ComparedSide {
  spanId: string;
  durationMs: number;
  offsetMs: number;
  error: boolean;
}

export type SpanChange = 'same' | 'slower' | 'faster' | 'failed' | 'recovered' | 'onlyA' | 'onlyB';

export interface ComparedSpan {
  depth: number;
  service: string;
  name: string;
  a: ComparedSide | null;
  b: ComparedSide | null;
  diffMs: number | null;
  change: SpanChange;
}

export interface TraceComparison {
  a: TraceSummary;
  b: TraceSummary;
  rows: ComparedSpan[];
  changes: Record<SpanChange, number>;
}

/** An answer of the API other than 200, with its status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new ApiError(response.status, body.error ?? `${response.status} ${response.statusText}`);
  }
  return (await response.json()) as T;
}

/** Services seen in any signal. */
export async function fetchServices(): Promise<string[]> {
  return (await getJson<{ services: string[] }>('/api/services')).services;
}

/** One page of the trace list for a query built by the filters, with the total. */
export function fetchTraces(query: URLSearchParams): Promise<TracePage> {
  return getJson(`/api/traces?${query}`);
}

/** Two traces aligned span by span. */
export function fetchComparison(a: string, b: string): Promise<TraceComparison> {
  const query = new URLSearchParams({ a, b });
  return getJson(`/api/compare?${query}`);
}

/** The span names of a service (of all services when empty). */
export async function fetchOperations(service: string): Promise<string[]> {
  const query = service ? `?service=${encodeURIComponent(service)}` : '';
  return (await getJson<{ operations: string[] }>(`/api/operations${query}`)).operations;
}

/** The error groups of a range. */
export function fetchErrors(query: URLSearchParams): Promise<ErrorList> {
  return getJson(`/api/errors?${query}`);
}

/** Calls between services. */
export async function fetchDependencies(query: URLSearchParams): Promise<DependencyEdge[]> {
  return (await getJson<{ edges: DependencyEdge[] }>(`/api/dependencies?${query}`)).edges;
}

/** Request rate, error rate and latency per route. */
export function fetchRed(
  query: URLSearchParams,
): Promise<{ series: RedSeries[]; stepMs: number; since: number }> {
  return getJson(`/api/red?${query}`);
}

/** One page of log records, newest first, with the total. */
export function fetchLogs(query: URLSearchParams): Promise<{ logs: LogRecord[]; total: number }> {
  return getJson(`/api/logs?${query}`);
}

/** The series of one metric over a range. */
export function fetchMetricSeries(query: URLSearchParams): Promise<MetricSeriesView> {
  return getJson(`/api/metrics/series?${query}`);
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
