/**
 * The SQLite schema, shaped for ingest speed on a small machine:
 *
 * - `spans` is append-only and has no secondary index. The writer stores the spans of one trace
 *   in one batch next to each other and appends that rowid range to the trace's `segments`
 *   (`"first-last first-last"`); reading a trace is a primary-key lookup plus rowid range scans.
 *   An index keyed by trace id would cost a random page write per trace and batch, twice (insert
 *   and retention), which is what limits ingest once the database outgrows the cache.
 * - `traces` is a summary row per trace, maintained on insert, so the trace list never
 *   aggregates spans. Its secondary indexes (start, arrival) grow at their right edge.
 * - `trace_terms` holds the search terms each batch adds to a trace (52-bit hashes as
 *   little-endian doubles, see `format/search-term.ts`), keyed like the batch's segment by its
 *   first span rowid, so it too grows at its right edge and goes with the segment's range delete.
 *   The trace index (`trace-index.ts`) keeps them in memory and answers the trace search with
 *   its total by scanning them, which no per-attribute SQLite index could do at this ingest rate.
 * - What the error list, the service map and the RED charts show is folded in at ingest:
 *   `error_events` (one row per failure, grouped in `error_groups`; `pending` has bit 1 while
 *   the route waits for the local root, bit 2 for a failure without an exception event, which a
 *   failed child arriving later explains; `linked_span` the span such a failure links to, which
 *   may have recorded it: a crash handler's span), `edge_minutes` (calls between services, and from
 *   services to databases, per minute) and `red_buckets` (server spans per service, route and
 *   minute, and per ten minutes for long ranges, with a latency histogram), so those pages never
 *   scan spans. `sampling_services` names the services whose local roots say they were kept by
 *   tail sampling.
 * - Logs are searched through FTS5 tables of 50,000 records each (`log_text_<n>`, see
 *   `log-text-index.ts`), dropped whole once retention has removed their records.
 * - Nested telemetry is JSON text (see `records.ts`).
 */
export const schemaVersion = 4;

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
  root_target TEXT NOT NULL,
  sampling_reason TEXT NOT NULL,
  first_id INTEGER NOT NULL,
  segments TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS traces_by_start ON traces (start_ns);
CREATE INDEX IF NOT EXISTS traces_by_arrival ON traces (first_id);
CREATE TABLE IF NOT EXISTS trace_terms (
  id INTEGER PRIMARY KEY,
  terms BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS operations (
  service TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (service, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS edge_minutes (
  minute INTEGER NOT NULL,
  parent TEXT NOT NULL,
  child TEXT NOT NULL,
  calls INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  database INTEGER NOT NULL,
  PRIMARY KEY (minute, parent, child)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS red_buckets (
  service TEXT NOT NULL,
  width INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  route TEXT NOT NULL,
  count INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  histogram TEXT NOT NULL,
  PRIMARY KEY (service, width, bucket, route)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS red_buckets_by_time ON red_buckets (width, bucket);
CREATE TABLE IF NOT EXISTS error_groups (
  id INTEGER PRIMARY KEY,
  service TEXT NOT NULL,
  type TEXT NOT NULL,
  route TEXT NOT NULL,
  message TEXT NOT NULL,
  chain_types TEXT NOT NULL,
  UNIQUE (service, type, route, message)
);
CREATE TABLE IF NOT EXISTS error_events (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL,
  time_ns INTEGER NOT NULL,
  trace_id TEXT NOT NULL,
  span_id TEXT NOT NULL,
  pending INTEGER NOT NULL,
  linked_span TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS error_events_by_group ON error_events (group_id, time_ns);
CREATE INDEX IF NOT EXISTS error_events_pending ON error_events (trace_id) WHERE pending != 0;
CREATE INDEX IF NOT EXISTS error_events_by_span ON error_events (span_id);
CREATE INDEX IF NOT EXISTS error_events_linked ON error_events (linked_span)
  WHERE linked_span != '';
CREATE TABLE IF NOT EXISTS sampling_services (
  service TEXT PRIMARY KEY,
  last_ns INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS logs (
  id INTEGER PRIMARY KEY,
  ts_ns INTEGER NOT NULL,
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
CREATE INDEX IF NOT EXISTS logs_by_time ON logs (ts_ns, severity_number);
CREATE INDEX IF NOT EXISTS logs_by_service ON logs (service, ts_ns, severity_number);
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
CREATE INDEX IF NOT EXISTS metric_points_by_series ON metric_points (name, resource_id, attributes, time_ns);
CREATE INDEX IF NOT EXISTS metric_points_by_time ON metric_points (name, service, time_ns);
CREATE INDEX IF NOT EXISTS metric_points_by_name ON metric_points (name, time_ns);
`;

/**
 * Connection settings: WAL so readers never wait for the writer, and a generous page cache.
 * `synchronous = OFF` skips fsync: a crash of the viewer loses nothing, a power cut may lose the
 * last moments of telemetry, which is the right trade for a development backend. The WAL is
 * copied back every 2,048 pages (8 MiB): a checkpoint runs inside the commit that crosses the
 * mark and holds the event loop while it copies, about 90 ms at 16,384 pages.
 */
export const pragmasSql = `
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
PRAGMA wal_autocheckpoint = 2048;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -65536;
PRAGMA busy_timeout = 5000;
`;
