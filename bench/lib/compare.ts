import { type Goal, ratioGoal, writeResults } from './results.ts';

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
  /**
   * Runs each arm in slices of this many operations with `flush` after each,
   * inside the measured time, as a batch processor exports while an app runs.
   * Without it, a synchronous loop overflows the processor's queue and the
   * benchmark measures spans being dropped instead of exported.
   */
  flushEvery?: number;
  /** Exports what a slice produced; see `flushEvery`. */
  flush?: () => Promise<unknown>;
}

export interface Comparison {
  readonly title: string;
  readonly baseline: string;
  readonly candidate: string;
  /** Median over rounds of the process's CPU time per operation. */
  readonly baselineNsPerOp: number;
  readonly candidateNsPerOp: number;
  /** Median over rounds of candidate time / baseline time. */
  readonly ratio: number;
  readonly goal: number | undefined;
  /** The goal is a floor (higher is better) rather than a ceiling. */
  readonly atLeast: boolean;
  readonly met: boolean | undefined;
  readonly rounds: number;
  readonly iterations: number;
  /** Operations each arm ran, warm-up included: what a benchmark that exports expects to arrive. */
  readonly operationsPerArm: number;
}

/**
 * Measures two arms side by side in this process, in CPU time: rounds
 * alternate which arm runs first, and the result is the median of the
 * per-round ratios, which cancels most of the drift (GC, CPU frequency, other
 * load) between rounds.
 */
export async function compare(
  title: string,
  baseline: Arm,
  candidate: Arm,
  options: CompareOptions = {},
): Promise<Comparison> {
  const {
    rounds = 30,
    iterations = 20_000,
    warmupRounds = 5,
    goal,
    atLeast = false,
    flushEvery = iterations,
    flush,
  } = options;
  // CPU time of this process, not wall time: on a shared machine a process
  // waiting for a core would otherwise be charged for the wait.
  const time = async (arm: Arm) => {
    const start = process.cpuUsage();
    if (flush === undefined) {
      await arm.run(iterations);
    } else {
      for (let done = 0; done < iterations; done += flushEvery) {
        await arm.run(Math.min(flushEvery, iterations - done));
        await flush();
      }
    }
    const { user, system } = process.cpuUsage(start);
    return ((user + system) * 1000) / iterations;
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
    atLeast,
    met: goal === undefined ? undefined : atLeast ? ratio >= goal : ratio <= goal,
    rounds,
    iterations,
    operationsPerArm: (warmupRounds + rounds) * iterations,
  };
}

/** The median of `values` (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The goals of the comparisons that have one, as the results file lists them. */
export function goalsOf(comparisons: readonly Comparison[]): Goal[] {
  return comparisons.flatMap((c) =>
    c.goal === undefined ? [] : [ratioGoal(c.title, c.ratio, c.goal, c.atLeast)],
  );
}

/**
 * Prints a table of comparisons and writes them, with their `goals`, to
 * `bench/results/<name>.json`; `details` (e.g. what the exporter received) go
 * into the file too.
 */
export function report(
  name: string,
  comparisons: readonly Comparison[],
  details: Record<string, unknown> = {},
): void {
  console.log(`\n${name}`);
  console.table(
    comparisons.map((c) => ({
      benchmark: c.title,
      'baseline ns/op': c.baselineNsPerOp.toFixed(1),
      'candidate ns/op': c.candidateNsPerOp.toFixed(1),
      ratio: c.ratio.toFixed(3),
      goal: c.goal === undefined ? '' : `${c.atLeast ? '≥' : '≤'} ${c.goal}`,
      met: c.met === undefined ? '' : c.met ? 'yes' : 'NO',
    })),
  );
  writeResults(name, { name, comparisons, ...details }, goalsOf(comparisons));
}
