import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { median } from '../lib/compare.ts';
import { startSink } from './sink.ts';

/** The instrumented arms, each compared with the plain server of the same round. */
const ARMS = ['plain', 'otelkit', 'auto'] as const;
type ArmName = (typeof ARMS)[number];

export interface HttpBenchOptions {
  /** Rounds; each runs every arm once, the order alternating. @default 5, or `HTTP_BENCH_ROUNDS` */
  rounds?: number;
  /** Measured seconds per run. @default 5, or `HTTP_BENCH_SECONDS` */
  seconds?: number;
  /** Unmeasured seconds of load first, for the JIT. @default 2 */
  warmupSeconds?: number;
  /** Concurrent connections. @default 50 */
  connections?: number;
  /** The requests/s ratio (instrumented / plain) to reach. @default 0.7 */
  goal?: number;
}

const here = import.meta.dirname;

/**
 * Requests per second of a hello-world server of `framework`, plain, with
 * otelkit (full `setup()`, batch export to a loopback sink answering 200) and
 * with the official auto-instrumentation, each server in its own process and
 * the load from autocannon in another. Prints the median per-round ratios and
 * writes `bench/results/http-<framework>.json`.
 */
export async function benchHttpFramework(
  framework: string,
  options: HttpBenchOptions = {},
): Promise<void> {
  const env = process.env;
  const {
    rounds = Number(env.HTTP_BENCH_ROUNDS ?? 5),
    seconds = Number(env.HTTP_BENCH_SECONDS ?? 5),
    warmupSeconds = 2,
    connections = 50,
    goal = 0.7,
  } = options;
  const sink = await startSink();
  const rps: Record<ArmName, number[]> = { plain: [], otelkit: [], auto: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ARMS : [...ARMS].reverse();
      for (const arm of order) {
        const value = await runArm(framework, arm, sink.url, {
          seconds,
          warmupSeconds,
          connections,
        });
        rps[arm].push(value);
        console.log(`  round ${round + 1} ${framework}/${arm}: ${value.toFixed(0)} req/s`);
      }
    }
  } finally {
    sink.server.close();
  }
  const ratio = (arm: ArmName) => median(rps[arm].map((value, i) => value / rps.plain[i]!));
  const rows = ARMS.map((arm) => ({
    arm,
    'median req/s': median(rps[arm]).toFixed(0),
    'ratio vs plain': arm === 'plain' ? '1.000' : ratio(arm).toFixed(3),
    goal: arm === 'otelkit' ? `>= ${goal}` : '',
    met: arm === 'otelkit' ? (ratio(arm) >= goal ? 'yes' : 'NO') : '',
  }));
  console.log(`\nhttp-${framework} (exports received by the sink: ${sink.received()})`);
  console.table(rows);
  const file = join(here, '..', 'results', `http-${framework}.json`);
  mkdirSync(join(here, '..', 'results'), { recursive: true });
  const result = {
    name: `http-${framework}`,
    node: process.version,
    date: new Date().toISOString(),
    platform: process.platform,
    rounds,
    seconds,
    connections,
    goal,
    requestsPerSecond: rps,
    ratios: { otelkit: ratio('otelkit'), auto: ratio('auto') },
    met: ratio('otelkit') >= goal,
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}

async function runArm(
  framework: string,
  arm: ArmName,
  sinkUrl: string,
  load: { seconds: number; warmupSeconds: number; connections: number },
): Promise<number> {
  const server = spawn(
    process.execPath,
    ['--conditions=otelkit-source', join(here, 'server.ts'), framework, arm],
    {
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
        OTEL_SERVICE_NAME: `bench-${framework}`,
        // Never probe cloud metadata endpoints from a benchmark.
        OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const port = await readPort(server);
    const url = `http://127.0.0.1:${port}/hello/world`;
    if (load.warmupSeconds > 0) await runLoad(url, load.warmupSeconds, load.connections);
    return await runLoad(url, load.seconds, load.connections);
  } finally {
    await stop(server);
  }
}

async function readPort(child: ChildProcess): Promise<number> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const parsed = JSON.parse(line) as { port?: number };
    if (parsed.port !== undefined) return parsed.port;
  }
  throw new Error('the benchmark server exited before listening');
}

async function runLoad(url: string, seconds: number, connections: number): Promise<number> {
  const child = spawn(
    process.execPath,
    [join(here, 'load.ts'), url, String(seconds), String(connections)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`autocannon exited with ${code}`);
  const { rps, errors } = JSON.parse(output) as { rps: number; errors: number };
  if (errors > 0) throw new Error(`${errors} failed requests against ${url}`);
  return rps;
}

/** SIGTERM, then SIGKILL: the auto-instrumentation's SIGTERM handler shuts the SDK down without exiting. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
