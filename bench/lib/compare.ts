import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One side of a comparison: `run(n)` does the measured operation `n` times. */
export interface Arm {
  readonly name: string;
  run(iterations: number): unknown;
}

export interface CompareOptions {
  /** Measured rounds; each runs both arms, alternating which goes first. @default 30 */
  rounds?: number;
  /** Operations per arm per round. @default 20_000 */
  iterations?: number;
  /** Unmeasured rounds first, to let the JIT settle. @default 5 */
  warmupRounds?: number;
  /** The ratio the candidate must stay under (or over, with `atLeast`). */
  goal?: number;
  /** Set when higher is better (throughput): the goal is a floor. */
  atLeast?: boolean;
}

export interface Comparison {
  readonly title: string;
  readonly baseline: string;
  readonly candidate: string;
  readonly baselineNsPerOp: number;
  readonly candidateNsPerOp: number;
  /** Median over rounds of candidate time / baseline time. */
  readonly ratio: number;
  readonly goal: number | undefined;
  readonly met: boolean | undefined;
  readonly rounds: number;
  readonly iterations: number;
}

/**
 * Measures two arms side by side in this process: rounds alternate which arm
 * runs first, and the result is the median of the per-round ratios, which
 * cancels most of the drift (GC, CPU frequency, other load) between rounds.
 */
export async function compare(
  title: string,
  baseline: Arm,
  candidate: Arm,
  options: CompareOptions = {},
): Promise<Comparison> {
  const { rounds = 30, iterations = 20_000, warmupRounds = 5, goal, atLeast = false } = options;
  const time = async (arm: Arm) => {
    const start = process.hrtime.bigint();
    await arm.run(iterations);
    return Number(process.hrtime.bigint() - start) / iterations;
  };
  const ratios: number[] = [];
  const baseTimes: number[] = [];
  const candTimes: number[] = [];
  for (let round = 0; round < warmupRounds + rounds; round++) {
    let base: number;
    let cand: number;
    if (round % 2 === 0) {
      base = await time(baseline);
      cand = await time(candidate);
    } else {
      cand = await time(candidate);
      base = await time(baseline);
    }
    if (round < warmupRounds) continue;
    baseTimes.push(base);
    candTimes.push(cand);
    ratios.push(cand / base);
  }
  const ratio = median(ratios);
  return {
    title,
    baseline: baseline.name,
    candidate: candidate.name,
    baselineNsPerOp: median(baseTimes),
    candidateNsPerOp: median(candTimes),
    ratio,
    goal,
    met: goal === undefined ? undefined : atLeast ? ratio >= goal : ratio <= goal,
    rounds,
    iterations,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Prints a table of comparisons and writes them to `bench/results/<name>.json`. */
export function report(name: string, comparisons: readonly Comparison[]): void {
  console.log(`\n${name}`);
  console.table(
    comparisons.map((c) => ({
      benchmark: c.title,
      'baseline ns/op': c.baselineNsPerOp.toFixed(1),
      'candidate ns/op': c.candidateNsPerOp.toFixed(1),
      ratio: c.ratio.toFixed(3),
      goal: c.goal === undefined ? '' : c.goal,
      met: c.met === undefined ? '' : c.met ? 'yes' : 'NO',
    })),
  );
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', `${name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  const meta = {
    node: process.version,
    date: new Date().toISOString(),
    platform: process.platform,
  };
  writeFileSync(file, `${JSON.stringify({ name, ...meta, comparisons }, null, 2)}\n`);
}
