// The sampling benchmark's knobs, from the environment:
//
//   SAMPLING_BENCH_ROUNDS=2 SAMPLING_BENCH_SECONDS=3 npm run bench -- sampling
//   BENCH_CPU_PROF=1 npm run bench -- sampling     (the tail arm's server with --cpu-prof; or BENCH_CPU_PROF=all,tail)
//
// Any of them set makes a quick run: its results go to
// bench/results/sampling.tmp.json (ignored by git), never over the figures
// the docs are generated from.

import { join } from 'node:path';
import { ARMS, type ArmName } from './arms.ts';

/** How the sampling benchmark runs. */
export interface SamplingBenchOptions {
  /** Rounds; each runs every arm once, positions rotating. @default 5 */
  readonly rounds: number;
  /** Measured seconds per run. @default 5 */
  readonly seconds: number;
  /** Unmeasured seconds of load first. @default 2 */
  readonly warmupSeconds: number;
  /** Concurrent connections. @default 50 */
  readonly connections: number;
  /** Arms whose server runs with `--cpu-prof`, into `.otelkit/profiles/`. */
  readonly profile: readonly ArmName[];
  /** Set when any knob differs from the full run. */
  readonly quick: boolean;
}

const KNOBS = {
  rounds: ['SAMPLING_BENCH_ROUNDS', 5, 1],
  seconds: ['SAMPLING_BENCH_SECONDS', 5, 1],
  warmupSeconds: ['SAMPLING_BENCH_WARMUP_SECONDS', 2, 0],
  connections: ['SAMPLING_BENCH_CONNECTIONS', 50, 1],
} as const;

/** Where `--cpu-prof` writes the servers' profiles. */
export const PROFILES_DIRECTORY = join(import.meta.dirname, '..', '..', '.otelkit', 'profiles');

/** Reads the options from the environment; a bad value throws an error naming it. */
export function samplingBenchOptions(env: NodeJS.ProcessEnv = process.env): SamplingBenchOptions {
  const read = ([name, fallback, min]: readonly [string, number, number]) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`${name}=${raw}: expected a whole number of at least ${min}`);
    }
    return value;
  };
  const prof = env.BENCH_CPU_PROF;
  const profile: ArmName[] =
    !prof || prof === '0'
      ? []
      : prof === '1'
        ? ['tail']
        : prof.split(',').map((a) => a.trim() as ArmName);
  for (const arm of profile) {
    if (!ARMS.includes(arm))
      throw new Error(`BENCH_CPU_PROF=${prof}: unknown arm ${arm} (arms: ${ARMS.join(', ')})`);
  }
  return {
    profile,
    rounds: read(KNOBS.rounds),
    seconds: read(KNOBS.seconds),
    warmupSeconds: read(KNOBS.warmupSeconds),
    connections: read(KNOBS.connections),
    quick:
      profile.length > 0 ||
      Object.values(KNOBS).some(([name]) => env[name] !== undefined && env[name] !== ''),
  };
}
