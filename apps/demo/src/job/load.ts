import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '../seeded-random.ts';

export interface RouteStats {
  readonly route: string;
  readonly latenciesMs: number[];
  readonly statuses: Map<number, number>;
  errors: number;
  /** The body of the first 500 answer, to show what a client sees of a crash. */
  sample500?: string;
}

export interface LoadOptions {
  baseUrl: string;
  durationMs: number;
  concurrency: number;
  /** The seed of the request mix: the same seed picks the same requests. */
  seed: number;
  /** Called about ten times a second with the fraction done and requests so far. */
  onProgress?: (fraction: number, requests: number) => void;
}

interface Step {
  route: string;
  weight: number;
  request: (base: string, pick: () => number) => Request;
}

const json = { 'content-type': 'application/json' };
let random = seededRandom(1);
let created = 0;
const createdIds: number[] = [];

/** The mix a real users API sees: mostly reads, some writes, some mistakes, one buggy route. */
const MIX: Step[] = [
  {
    route: 'GET /users',
    weight: 15,
    request: (b) => new Request(`${b}/users?limit=20&offset=${rand(200)}`),
  },
  { route: 'GET /users/:id', weight: 40, request: (b, id) => new Request(`${b}/users/${id()}`) },
  {
    route: 'GET /users/:id (missing)',
    weight: 8,
    request: (b) => new Request(`${b}/users/${100_000 + rand(1000)}`),
  },
  {
    route: 'POST /users',
    weight: 12,
    request: (b) =>
      new Request(`${b}/users`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          name: `Load User ${++created}`,
          email: `load-${process.pid}-${created}@example.com`,
        }),
      }),
  },
  {
    route: 'POST /users (invalid)',
    weight: 6,
    request: (b) =>
      new Request(`${b}/users`, {
        method: 'POST',
        headers: json,
        body: '{"name":"","email":"nope"}',
      }),
  },
  {
    route: 'GET /users/:id/report',
    weight: 12,
    request: (b, id) => new Request(`${b}/users/${id()}/report`),
  },
  {
    route: 'DELETE /users/:id',
    weight: 7,
    // Deletes users this load created, so the seeded ones stay readable.
    request: (b) =>
      new Request(`${b}/users/${createdIds.shift() ?? 100_000}`, { method: 'DELETE' }),
  },
];
const TOTAL_WEIGHT = MIX.reduce((sum, step) => sum + step.weight, 0);

/** Drives `concurrency` loops of requests against the service for `durationMs`. */
export async function runLoad(options: LoadOptions): Promise<Map<string, RouteStats>> {
  random = seededRandom(options.seed);
  const stats = new Map<string, RouteStats>(
    MIX.map((s) => [s.route, { route: s.route, latenciesMs: [], statuses: new Map(), errors: 0 }]),
  );
  const deadline = Date.now() + options.durationMs;
  let requests = 0;
  const progress = setInterval(() => {
    const done = 1 - Math.max(0, deadline - Date.now()) / options.durationMs;
    options.onProgress?.(Math.min(done, 1), requests);
  }, 100);
  // The first worker opens with one request of every kind, the report of a user
  // whose report fails among them, so every run shows each pattern at least once.
  const tour = [...MIX];
  const worker = async (_: unknown, index: number) => {
    while (Date.now() < deadline) {
      const touring = index === 0 && tour.length > 0;
      const step = touring ? tour.shift()! : pick();
      const id = touring ? () => 7 * (1 + rand(42)) : () => 1 + rand(299);
      const started = performance.now();
      const route = stats.get(step.route)!;
      try {
        const response = await fetch(step.request(options.baseUrl, id), {
          signal: AbortSignal.timeout(5000),
        });
        const body = await response.text();
        if (response.status === 500) route.sample500 ??= body;
        if (response.status === 201) createdIds.push((JSON.parse(body) as { id: number }).id);
        route.statuses.set(response.status, (route.statuses.get(response.status) ?? 0) + 1);
      } catch {
        route.errors++;
      }
      route.latenciesMs.push(performance.now() - started);
      requests++;
      // A little think time: a busy service, not a stress test.
      await sleep(2);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    clearInterval(progress);
    options.onProgress?.(1, requests);
  }
  return stats;
}

function pick(): Step {
  let n = random() * TOTAL_WEIGHT;
  for (const step of MIX) {
    n -= step.weight;
    if (n < 0) return step;
  }
  return MIX[0]!;
}

function rand(n: number): number {
  return Math.floor(random() * n);
}
