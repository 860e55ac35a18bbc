/**
 * The SQLite schema, shaped for ingest speed on a small machine:
 *
 * - `spans` is append-only and has no secondary index. The writer stores the spans of one trace
 *   in one batch next to each other and appends that rowid range to the trace's `segments`
 *   (`"first-last first-last"`); reading a trace is a primary-key lookup plus rowid range scans.
 *   An index keyed by trace id would cost a random page write per trace and batch, twice (insert
 *   and retention), which is what limits ingest once the database outgrows the cache.
 * - `traces` is a summary row per trace, maintained on insert, so the trace list never
 *   aggregates spans. Its secondary indexes grow at their right edge (start, arrival) except
 *   the duration one.
 * - `trace_services` finds the traces of a service newest first; it too grows at its right edge.
 * - Nested telemetry is JSON text (see `records.ts`).
 */
export const schemaVersion = 1;

/** Creates the tables and indexes that are missing. */
export const schemaSql = `
CREATE TABLE IF NOT EXISTS origins (
  id INTEGER PRIMARY KEY,
  json TEXT NOT NULL UNIQUE,
  service TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS spans (
  id INTEGER PRIMARY KEY,
  trace_id TEXT NOT NULL,
  span_id TEXT NOT NULL,
  parent_span_id TEXT NOT NULL,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  start_ns INTEGER NOT NULL,
  end_ns INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  status_message TEXT NOT NULL,
  trace_state TEXT NOT NULL,
  flags INTEGER NOT NULL,
  service TEXT NOT NULL,
  resource_id INTEGER NOT NULL,
  scope_id INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  events TEXT NOT NULL,
  links TEXT NOT NULL,
  dropped_attributes INTEGER NOT NULL,
  dropped_events INTEGER NOT NULL,
  dropped_links INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS traces (
  trace_id TEXT PRIMARY KEY,
  start_ns INTEGER NOT NULL,
  end_ns INTEGER NOT NULL,
  duration_ns INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  root_service TEXT NOT NULL,
  root_name TEXT NOT NULL,
  has_root INTEGER NOT NULL,
  first_id INTEGER NOT NULL,
  segments TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS traces_by_start ON traces (start_ns);
CREATE INDEX IF NOT EXISTS traces_by_duration ON traces (duration_ns);
CREATE INDEX IF NOT EXISTS traces_by_arrival ON traces (first_id);
CREATE INDEX IF NOT EXISTS traces_with_errors ON traces (start_ns) WHERE error_count > 0;
CREATE TABLE IF NOT EXISTS trace_services (
  service TEXT NOT NULL,
  start_ns INTEGER NOT NULL,
  trace_id TEXT NOT NULL,
  PRIMARY KEY (service, start_ns, trace_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS logs (
  id INTEGER PRIMARY KEY,
  time_ns INTEGER NOT NULL,
  observed_time_ns INTEGER NOT NULL,
  severity_number INTEGER NOT NULL,
  severity_text TEXT NOT NULL,
  body TEXT NOT NULL,
  attributes TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  span_id TEXT NOT NULL,
  flags INTEGER NOT NULL,
  event_name TEXT NOT NULL,
  dropped_attributes INTEGER NOT NULL,
  service TEXT NOT NULL,
  resource_id INTEGER NOT NULL,
  scope_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS logs_by_trace ON logs (trace_id) WHERE trace_id != '';
CREATE TABLE IF NOT EXISTS metric_points (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  unit TEXT NOT NULL,
  type TEXT NOT NULL,
  attributes TEXT NOT NULL,
  start_time_ns INTEGER NOT NULL,
  time_ns INTEGER NOT NULL,
  value TEXT NOT NULL,
  service TEXT NOT NULL,
  resource_id INTEGER NOT NULL,
  scope_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS metric_points_by_series ON metric_points (name, resource_id, attributes);
`;

/**
 * Connection settings: WAL so readers never wait for the writer, and a generous page cache.
 * `synchronous = OFF` skips fsync: a crash of the viewer loses nothing, a power cut may lose the
 * last moments of telemetry, which is the right trade for a development backend.
 */
export const pragmasSql = `
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
PRAGMA wal_autocheckpoint = 16384;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -65536;
PRAGMA busy_timeout = 5000;
`;
