// The load generator, in its own process, driven over IPC by the runner:
// autocannon warms the server up, reports `warm`, waits for `go` (sent once the
// server's measured window has started), then runs the measured load and
// reports its figures in `done`.

import { once } from 'node:events';
import { createRequire } from 'node:module';

/** What the runner asks for. */
export interface LoadRequest {
  readonly type: 'run';
  readonly url: string;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly connections: number;
}

/** The measured load's figures. */
export interface LoadResult {
  readonly type: 'done';
  /** Responses received. */
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyP99Ms: number;
  /** Connection errors, timeouts and non-2xx responses: any fails the run. */
  readonly failures: number;
}

interface AutocannonResult {
  requests: { total: number };
  duration: number;
  latency: { p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  duration: number;
  connections: number;
  pipelining: number;
}) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
const [request] = (await once(process, 'message')) as [LoadRequest];
const load = (duration: number) =>
  autocannon({ url: request.url, duration, connections: request.connections, pipelining: 1 });

if (request.warmupSeconds > 0) await load(request.warmupSeconds);
const go = once(process, 'message');
process.send!({ type: 'warm' });
await go;
const result = await load(request.seconds);
const done: LoadResult = {
  type: 'done',
  requests: result.requests.total,
  requestsPerSecond: result.requests.total / result.duration,
  latencyP99Ms: result.latency.p99,
  failures: result.errors + result.timeouts + result.non2xx,
};
process.send!(done, () => process.disconnect());
