// The one format of bench/results/*.json: the figures, the machine they came
// from, and the goals that `npm run bench` tabulates and fails on.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';

/** One goal of a results file: `npm run bench` prints it and exits non-zero when it is not met. */
export interface Goal {
  readonly name: string;
  /** The target as printed, e.g. `≤ 1.05×` or `≥ 0.70×`. */
  readonly target: string;
  readonly value: number;
  readonly met: boolean;
}

/** The directory of the results files. */
export const resultsDirectory = join(import.meta.dirname, '..', 'results');

/**
 * A goal on a ratio against a baseline: met when `value` is at most `limit`,
 * or at least `limit` when higher is better (`atLeast`).
 */
export function ratioGoal(name: string, value: number, limit: number, atLeast = false): Goal {
  return {
    name,
    target: `${atLeast ? '≥' : '≤'} ${limit.toFixed(2)}×`,
    value,
    met: atLeast ? value >= limit : value <= limit,
  };
}

/**
 * Writes `bench/results/<file>.json`: `body` with the machine it was measured
 * on and, last, the `goals` (empty when the benchmark only reports). Returns the path.
 */
export function writeResults(
  file: string,
  body: Record<string, unknown>,
  goals: readonly Goal[] = [],
): string {
  const path = join(resultsDirectory, `${file}.json`);
  mkdirSync(resultsDirectory, { recursive: true });
  const machine = {
    node: process.version,
    date: new Date().toISOString(),
    platform: process.platform,
    cpus: availableParallelism(),
    // The load other processes put on the machine while this ran.
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  };
  writeFileSync(path, `${JSON.stringify({ ...body, ...machine, goals }, null, 2)}\n`);
  return path;
}
