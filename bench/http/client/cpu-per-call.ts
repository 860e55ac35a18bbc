// CPU per call of several arms measured side by side: many short rounds, each
// running every arm once in an order that rotates from round to round, and
// each figure the median over rounds of the per-round ratio to the baseline
// (the first arm), which cancels most of the drift between rounds (other
// processes on the machine, CPU frequency). No garbage collection is forced
// between arms: the collector's work on its own threads belongs to the calls.

/** One side of the comparison. */
export interface ClientArm {
  readonly name: string;
  /** Runs before the arm's calls, outside the measured window. */
  before?(): void;
  /** Runs after the calls, inside the window: work the arm owes, e.g. flushing spans. */
  settle?(): Promise<void>;
  /** Runs last, outside the window. */
  after?(): void;
  call(): Promise<unknown>;
}

/** One arm's figures; the ratios are to the baseline arm. */
export interface ArmFigures {
  readonly name: string;
  /** Median CPU (user + system, every thread of the process) per call, in microseconds. */
  readonly cpuUsPerCall: number;
  /** Median CPU of the main thread alone per call (JIT and GC helper threads left out). */
  readonly mainThreadUsPerCall: number;
  /** Median wall time per call at the given concurrency, in microseconds. */
  readonly wallUsPerCall: number;
  /** Median over rounds of this arm's CPU per call / the baseline's. */
  readonly cpuRatio: number;
  /** The same for the main thread's CPU. */
  readonly mainThreadRatio: number;
  readonly wallRatio: number;
}

export interface ClientComparison {
  readonly title: string;
  /** The baseline first, with ratios of 1. */
  readonly arms: readonly ArmFigures[];
  readonly rounds: number;
  readonly callsPerRound: number;
  readonly concurrency: number;
}

export interface CompareOptions {
  rounds: number;
  warmupRounds: number;
  callsPerRound: number;
  concurrency: number;
}

/** `process.threadCpuUsage` (Node 23.9 and later); the process figure stands in before that. */
const threadCpuUsage: (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage =
  (process as { threadCpuUsage?: typeof process.cpuUsage }).threadCpuUsage?.bind(process) ??
  process.cpuUsage.bind(process);

interface Sample {
  cpu: number;
  thread: number;
  wall: number;
}

async function measure(arm: ClientArm, calls: number, concurrency: number): Promise<Sample> {
  arm.before?.();
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const threadStart = threadCpuUsage();
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      started++;
      await arm.call();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await arm.settle?.();
  const cpu = process.cpuUsage(cpuStart);
  const thread = threadCpuUsage(threadStart);
  const wall = performance.now() - wallStart;
  arm.after?.();
  return {
    cpu: (cpu.user + cpu.system) / calls,
    thread: (thread.user + thread.system) / calls,
    wall: (wall * 1000) / calls,
  };
}

/** Measures every arm against the first; returns the medians and ratios. */
export async function compareArms(
  title: string,
  arms: readonly ClientArm[],
  options: CompareOptions,
): Promise<ClientComparison> {
  const { rounds, warmupRounds, callsPerRound, concurrency } = options;
  const samples: Sample[][] = arms.map(() => []);
  for (let round = 0; round < warmupRounds + rounds; round++) {
    const results: Sample[] = [];
    for (let i = 0; i < arms.length; i++) {
      const index = (i + round) % arms.length;
      results[index] = await measure(arms[index]!, callsPerRound, concurrency);
    }
    if (round < warmupRounds) continue;
    for (let index = 0; index < arms.length; index++) samples[index]!.push(results[index]!);
  }
  const base = samples[0]!;
  const figures = arms.map((arm, index): ArmFigures => {
    const own = samples[index]!;
    const ratio = (key: keyof Sample) => median(own.map((s, i) => s[key] / base[i]![key]));
    return {
      name: arm.name,
      cpuUsPerCall: median(own.map((s) => s.cpu)),
      mainThreadUsPerCall: median(own.map((s) => s.thread)),
      wallUsPerCall: median(own.map((s) => s.wall)),
      cpuRatio: ratio('cpu'),
      mainThreadRatio: ratio('thread'),
      wallRatio: ratio('wall'),
    };
  });
  return { title, arms: figures, rounds, callsPerRound, concurrency };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
