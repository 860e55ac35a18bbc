// The HTTP benchmark's knobs, from the environment, so that a single framework
// can be measured quickly while iterating:
//
//   HTTP_BENCH_ROUNDS=2 HTTP_BENCH_SECONDS=3 npm run bench -- fastify
//   HTTP_BENCH_ARMS=plain,otelkit BENCH_CPU_PROF=1 npm run bench -- express
//   HTTP_BENCH_OTEL="OTEL_TRACES_EXPORTER=none" npm run bench -- fastify   (settings of the instrumented servers)
//
// Any of these set makes a quick run: its results go to
// bench/results/http-<framework>.tmp.json (ignored by git), never over the
// figures the docs are generated from.
import { join } from 'node:path';
import { ARMS, type ArmName } from './arms.ts';

/** How the HTTP benchmark runs. */
export interface HttpBenchOptions {
  /** Rounds; each runs every arm once, positions rotating. @default 5 (`HTTP_BENCH_ROUNDS`) */
  readonly rounds: number;
  /** Measured seconds per run. @default 5 (`HTTP_BENCH_SECONDS`) */
  readonly seconds: number;
  /** Unmeasured seconds of load first, for the JIT. @default 2 (`HTTP_BENCH_WARMUP_SECONDS`) */
  readonly warmupSeconds: number;
  /** Concurrent connections. @default 50 (`HTTP_BENCH_CONNECTIONS`) */
  readonly connections: number;
  /** The arms to run. @default all (`HTTP_BENCH_ARMS=plain,otelkit`) */
  readonly arms: readonly ArmName[];
  /** Arms whose server runs with `--cpu-prof`. `BENCH_CPU_PROF=1`: otelkit; or a list of arms. */
  readonly profile: readonly ArmName[];
  /** Set when any knob differs from the full run. */
  readonly quick: boolean;
}

/** Where `--cpu-prof` writes the servers' profiles. */
export const PROFILES_DIRECTORY = join(import.meta.dirname, '..', '..', '.otelkit', 'profiles');

const KNOBS = [
  'HTTP_BENCH_ROUNDS',
  'HTTP_BENCH_SECONDS',
  'HTTP_BENCH_WARMUP_SECONDS',
  'HTTP_BENCH_CONNECTIONS',
  'HTTP_BENCH_ARMS',
  'BENCH_CPU_PROF',
  'HTTP_BENCH_OTEL',
];

/** Reads the options from the environment; a bad value throws an error naming it. */
export function httpBenchOptions(env: NodeJS.ProcessEnv = process.env): HttpBenchOptions {
  const arms = env.HTTP_BENCH_ARMS ? armList('HTTP_BENCH_ARMS', env.HTTP_BENCH_ARMS) : ARMS;
  const prof = env.BENCH_CPU_PROF;
  const profile =
    !prof || prof === '0'
      ? []
      : prof === '1'
        ? ['otelkit' as const]
        : armList('BENCH_CPU_PROF', prof);
  return {
    rounds: whole(env, 'HTTP_BENCH_ROUNDS', 5, 1),
    seconds: whole(env, 'HTTP_BENCH_SECONDS', 5, 1),
    warmupSeconds: whole(env, 'HTTP_BENCH_WARMUP_SECONDS', 2, 0),
    connections: whole(env, 'HTTP_BENCH_CONNECTIONS', 50, 1),
    arms,
    profile,
    quick: KNOBS.some((name) => env[name] !== undefined && env[name] !== ''),
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name}=${raw}: expected a whole number of at least ${min}`);
  }
  return value;
}

function armList(name: string, raw: string): ArmName[] {
  const arms = raw.split(',').map((arm) => arm.trim());
  for (const arm of arms) {
    if (!(ARMS as readonly string[]).includes(arm)) {
      throw new Error(`${name}=${raw}: unknown arm ${arm} (arms: ${ARMS.join(', ')})`);
    }
  }
  return arms as ArmName[];
}
