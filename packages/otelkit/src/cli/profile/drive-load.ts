import { importPeer } from '../../internal/import-peer.ts';

/** What the load generator saw. */
export interface LoadResult {
  /** Responses received. */
  requests: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Responses with a status outside 2xx. */
  non2xx: number;
  /** The first failure, as `connect ECONNREFUSED 127.0.0.1:3000` or `HTTP 503`; none when all succeeded. */
  firstError: string | undefined;
}

/** Requests that got a 2xx answer. */
export function succeeded(load: LoadResult): number {
  return load.requests - load.non2xx;
}

/** The share of requests sent that failed (an error, or an answer outside 2xx), 0 to 1. */
export function failedShare(load: LoadResult): number {
  const sent = load.requests + load.errors;
  return sent === 0 ? 0 : (load.errors + load.non2xx) / sent;
}

/** Options of `driveLoad`. */
export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Ends the load early (Ctrl-C); the result counts what was sent until then. */
  signal?: AbortSignal;
}

/** Drives one load; resolves when it is over. */
export type DriveLoad = (options: LoadOptions) => Promise<LoadResult>;

/**
 * Loads autocannon, an optional peer of otelkit (here, on first use, so that
 * no other command pays for it), and returns a function that drives HTTP load
 * with it. Loaded before the service starts, so that a missing autocannon is
 * named at once and loading it is never in the profiled window.
 */
export async function loadGenerator(): Promise<DriveLoad> {
  const { default: autocannon } = await importPeer<typeof import('autocannon')>(
    'autocannon',
    'otelkit profile',
    'autocannon',
    'npm install -D autocannon (or pass --no-load and drive the load yourself)',
  );
  return async (options) => {
    const instance = autocannon({
      url: options.url,
      connections: options.connections,
      duration: options.seconds,
      pipelining: 1,
    });
    let firstError: string | undefined;
    instance.on('reqError', (error) => {
      firstError ??= error.message;
    });
    instance.on('response', (_client, status) => {
      if (status < 200 || status > 299) firstError ??= `HTTP ${status}`;
    });
    const stop = () => instance.stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      const result = await instance;
      return {
        requests: result.requests.total,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
        firstError,
      };
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }
  };
}
