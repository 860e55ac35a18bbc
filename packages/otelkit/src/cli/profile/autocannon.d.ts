// The part of autocannon's API that `otelkit profile` uses (it ships no types).
declare module 'autocannon' {
  interface Options {
    url: string;
    connections: number;
    /** Seconds. */
    duration: number;
    pipelining?: number;
  }
  interface Result {
    requests: { total: number };
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  interface Instance extends PromiseLike<Result> {
    stop(): void;
    /** A request that failed without an answer (refused, reset, timed out). */
    on(event: 'reqError', listener: (error: Error) => void): Instance;
    /** An answer, with its status. */
    on(event: 'response', listener: (client: unknown, statusCode: number) => void): Instance;
  }
  function autocannon(options: Options): Instance;
  export default autocannon;
}
