/** What the load generator saw. */
export interface LoadResult {
  /** Responses received. */
  requests: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Responses with a status outside 2xx. */
  non2xx: number;
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
 * Loads autocannon (here, on first use, so that no other command pays for it)
 * and returns a function that drives HTTP load with it. Loaded before the
 * profiler starts, so that loading it is not in the profiled window.
 */
export async function loadGenerator(): Promise<DriveLoad> {
  const { default: autocannon } = await import('autocannon');
  return async (options) => {
    const instance = autocannon({
      url: options.url,
      connections: options.connections,
      duration: options.seconds,
      pipelining: 1,
    });
    const stop = () => instance.stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      const result = await instance;
      return {
        requests: result.requests.total,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
      };
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }
  };
}
