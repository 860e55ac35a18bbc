import { parseOrigin } from './server/cors.ts';

/** Options of {@link startViewer}. */
export interface ViewerOptions {
  /**
   * Address to listen on. Only the loopback default keeps your telemetry on this machine.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Port to listen on; `0` picks a free one (read it from the returned {@link Viewer}).
   * @default 4318
   */
  port?: number;
  /**
   * SQLite file; its folder is created when missing. `':memory:'` keeps nothing.
   * @default '.otelkit/viewer.db'
   */
  db?: string;
  /**
   * Largest accepted request body after decompression, in bytes; larger ones get 413.
   * @default 20 MiB
   */
  maxBodyBytes?: number;
  /**
   * Spans kept; the oldest traces are removed first. Logs and metric points are capped likewise.
   * @default 1_000_000
   */
  maxSpans?: number;
  /**
   * Age past which telemetry is removed, in milliseconds.
   * @default 7 days
   */
  maxAgeMs?: number;
  /**
   * Origins whose pages may export to the receiver (browser SDKs): `http://localhost:5173`, or
   * `*` for any. The preflight is answered and their exports carry
   * `Access-Control-Allow-Origin`; the API and the page stay same-origin.
   * @default [] (no cross-origin exports)
   * @example ['http://localhost:5173']
   */
  cors?: string[];
  /**
   * Reports unexpected failures (a storage error, a bug); refused requests are not reported.
   * @default writes to stderr
   */
  onError?: (error: unknown) => void;
  /**
   * Receives a line for each kind of refused request or item (a 413, spans older than the
   * retention, …): what, how many and from whom, at most one line per kind every 10 s.
   * @default writes to stderr
   */
  onRefusal?: (line: string) => void;
}

/** A running viewer. */
export interface Viewer {
  /** Base URL, e.g. `http://127.0.0.1:4318`: the page is at `/`, OTLP at `/v1/traces`. */
  url: string;
  host: string;
  port: number;
  /** Stops listening, ends open connections and closes the database. */
  close(): Promise<void>;
}

/** The options with their defaults filled in. */
export type ResolvedViewerOptions = Required<ViewerOptions>;

/**
 * Fills in the defaults of `options`.
 * @throws {Error} naming a `cors` entry that is not an origin.
 */
export function resolveViewerOptions(options: ViewerOptions = {}): ResolvedViewerOptions {
  return {
    cors: (options.cors ?? []).map(parseOrigin),
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 4318,
    db: options.db ?? '.otelkit/viewer.db',
    maxBodyBytes: options.maxBodyBytes ?? 20 * 1024 * 1024,
    maxSpans: options.maxSpans ?? 1_000_000,
    maxAgeMs: options.maxAgeMs ?? 7 * 24 * 60 * 60 * 1000,
    onError: options.onError ?? ((error) => console.error('otelkit-viewer:', error)),
    onRefusal: options.onRefusal ?? ((line) => console.error(`otelkit-viewer: ${line}`)),
  };
}
