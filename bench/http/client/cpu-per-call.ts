// CPU per call of two arms measured side by side: many short rounds alternate
// which arm goes first, garbage is collected before each arm, and the figure
// is the median over rounds of the per-round ratio, which cancels most of the
// drift (other processes on the machine, CPU frequency) between rounds.

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

export interface ArmFigures {
  readonly name: string;
  /** Median CPU (user + system, every thread of the process) per call, in microseconds. */
  readonly cpuUsPerCall: number;
  /** Median CPU of the main thread alone per call (JIT and GC helper threads left out). */
  readonly mainThreadUsPerCall: number;
  /** Median wall time per call at the given concurrency, in microseconds. */
  readonly wallUsPerCall: number;
}

export interface ClientComparison {
  readonly title: string;
  readonly baseline: ArmFigures;
  readonly candidate: ArmFigures;
  /** Median over rounds of candidate CPU per call / baseline CPU per call. */
  readonly cpuRatio: number;
  /** The same for the main thread's CPU. */
  readonly mainThreadRatio: number;
  readonly wallRatio: number;
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

const gc = (globalThis as { gc?: () => void }).gc;
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
  gc?.();
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

/** Measures `candidate` against `baseline`; returns the medians and ratios. */
export async function compareClients(
  title: string,
  baseline: ClientArm,
  candidate: ClientArm,
  options: CompareOptions,
): Promise<ClientComparison> {
  const { rounds, warmupRounds, callsPerRound, concurrency } = options;
  const base: Sample[] = [];
  const cand: Sample[] = [];
  for (let round = 0; round < warmupRounds + rounds; round++) {
    let b: Sample;
    let c: Sample;
    if (round % 2 === 0) {
      b = await measure(baseline, callsPerRound, concurrency);
      c = await measure(candidate, callsPerRound, concurrency);
    } else {
      c = await measure(candidate, callsPerRound, concurrency);
      b = await measure(baseline, callsPerRound, concurrency);
    }
    if (round < warmupRounds) continue;
    base.push(b);
    cand.push(c);
  }
  const figures = (name: string, samples: Sample[]): ArmFigures => ({
    name,
    cpuUsPerCall: median(samples.map((s) => s.cpu)),
    mainThreadUsPerCall: median(samples.map((s) => s.thread)),
    wallUsPerCall: median(samples.map((s) => s.wall)),
  });
  const ratio = (key: keyof Sample) => median(cand.map((c, i) => c[key] / base[i]![key]));
  return {
    title,
    baseline: figures(baseline.name, base),
    candidate: figures(candidate.name, cand),
    cpuRatio: ratio('cpu'),
    mainThreadRatio: ratio('thread'),
    wallRatio: ratio('wall'),
    rounds,
    callsPerRound,
    concurrency,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
