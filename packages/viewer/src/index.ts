/**
 * otelkit-viewer: a local OTLP/HTTP receiver with a SQLite store and a web viewer of traces,
 * errors, services, logs and metrics.
 * @module
 */

// What the API serves
export type {
  ComparedSide,
  ComparedSpan,
  SpanChange,
  TraceComparison,
} from './api/trace-comparison.ts';
export type { JsonAnyValue, JsonKeyValue } from './format/packed-value.ts';
export type { DependencyEdge } from './store/dependency-queries.ts';
export type { ErrorGroup, ErrorList } from './store/error-queries.ts';
export type { LogView } from './store/log-queries.ts';
export type { MetricView, PointView } from './store/metric-queries.ts';
export type { MetricSeries, MetricSeriesView, SeriesPoint } from './store/metric-series.ts';
export type { OriginView } from './store/origin-reader.ts';
export type { RedPoint, RedSeries, RedView } from './store/red-queries.ts';
export type { EventView, LinkView, SpanView } from './store/span-view.ts';
export type { StoreStats } from './store/store.ts';
export type { TracePage, TraceSummary } from './store/trace-queries.ts';
// Running the viewer
export { startViewer } from './viewer.ts';
export type { Viewer, ViewerOptions } from './viewer-options.ts';
