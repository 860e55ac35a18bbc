/**
 * otelkit-viewer: a local OTLP/HTTP receiver with a SQLite store and a web trace viewer.
 * @module
 */

// What the API serves
export type { JsonAnyValue, JsonKeyValue } from './format/packed-value.ts';
export type { LogView } from './store/log-queries.ts';
export type { MetricView, PointView } from './store/metric-queries.ts';
export type { OriginView } from './store/origin-reader.ts';
export type { EventView, LinkView, SpanView } from './store/span-view.ts';
export type { StoreStats } from './store/store.ts';
export type { TraceSummary } from './store/trace-queries.ts';
export { startViewer } from './viewer.ts';
// Running the viewer
export type { Viewer, ViewerOptions } from './viewer-options.ts';
