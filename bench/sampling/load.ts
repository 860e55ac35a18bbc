// The load of the sampling benchmark, in its own process, driven over IPC
// like bench/http/load.ts: each connection cycles through 100 requests, one
// failing and one slow among them (see kindAt), warms up, reports `warm`,
// waits for `go`, then runs the measured load and reports `done`.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { kindAt } from './arms.ts';

/** What the runner asks for. */
export interface LoadRequest {
  readonly type: 'run';
  /** The server's base URL. */
  readonly url: string;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly connections: number;
}

/** The measured load's figures. */
export interface LoadResult {
  readonly type: 'done';
  readonly requests: number;
  /** Connection errors and timeouts: any fails the run (the 500s are meant). */
  readonly failures: number;
}

interface AutocannonResult {
  requests: { total: number };
  errors: number;
  timeouts: number;
}
type Autocannon = (options: {
  url: string;
  duration: number;
  connections: number;
  pipelining: number;
  timeout: number;
  requests: { method: 'GET'; path: string }[];
}) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
const [request] = (await once(process, 'message')) as [LoadRequest];
const requests = Array.from({ length: 100 }, (_, i) => ({
  method: 'GET' as const,
  path: `/work/${kindAt(i)}`,
}));
const load = (duration: number) =>
  autocannon({
    url: request.url,
    duration,
    connections: request.connections,
    pipelining: 1,
    timeout: 30,
    requests,
  });

if (request.warmupSeconds > 0) await load(request.warmupSeconds);
const go = once(process, 'message');
process.send!({ type: 'warm' });
await go;
const result = await load(request.seconds);
const done: LoadResult = {
  type: 'done',
  requests: result.requests.total,
  failures: result.errors + result.timeouts,
};
process.send!(done, () => process.disconnect());
