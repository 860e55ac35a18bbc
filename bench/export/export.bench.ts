// CPU and event-loop cost of exporting spans at 10,000 spans/s: otelkit's
// OtlpSpanProcessor against the official BatchSpanProcessor + OTLP/protobuf
// exporter, each measured as "export on" minus
// "export off" (the same spans made with no processor), in the same process,
// arms alternating round by round. The sink is another process that counts
// what it acknowledged, so a lost span shows.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OtlpSpanProcessor } from '../../packages/otelkit/src/export/index.ts';
import { median } from '../lib/compare.ts';
import { type Goal, writeResults } from '../lib/results.ts';
import { endHttpServerSpan, type LoadResult, runPaced } from './paced-load.ts';
import { startSpanSink } from './sink-process.ts';

const env = process.env;
const SPANS_PER_SECOND = 10_000;
const SECONDS = Number(env.EXPORT_BENCH_SECONDS ?? 3);
const ROUNDS = Number(env.EXPORT_BENCH_ROUNDS ?? 12);
const WARMUP_ROUNDS = 1;
const BURST = 3000;

const sink = await startSpanSink();

interface Arm {
  readonly name: 'off' | 'official' | 'otelkit';
  readonly provider: TracerProvider;
}

const arms: Arm[] = [
  { name: 'off', provider: new TracerProvider() },
  {
    name: 'official',
    provider: new TracerProvider({
      spanProcessors: [
        new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: sink.url }) }),
      ],
    }),
  },
  {
    name: 'otelkit',
    provider: new TracerProvider({ spanProcessors: [new OtlpSpanProcessor({ url: sink.url })] }),
  },
];

interface Run extends LoadResult {
  lost: number;
  /** Request bytes the sink received. */
  bytes: number;
}
const runs = new Map<Arm['name'], Run[]>([
  ['off', []],
  ['official', []],
  ['otelkit', []],
]);

async function measure(arm: Arm): Promise<Run> {
  const tracer = arm.provider.getTracer('bench', '1.0.0');
  const before = await sink.stats();
  const result = await runPaced(
    (i) => endHttpServerSpan(tracer, i),
    SPANS_PER_SECOND,
    SECONDS,
    () => arm.provider.forceFlush(),
  );
  const after = await sink.stats();
  const lost = arm.name === 'off' ? 0 : result.spans - (after.spans - before.spans);
  return { ...result, lost, bytes: after.bytes - before.bytes };
}

for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
  // Rotate the order so no arm always runs right after another's garbage.
  const order = arms.map((_, i) => arms[(i + round) % arms.length]!);
  for (const arm of order) {
    global.gc?.();
    const run = await measure(arm);
    if (round >= WARMUP_ROUNDS) runs.get(arm.name)!.push(run);
    console.log(
      `  round ${round + 1} ${arm.name.padEnd(8)} ${(run.cpuUs / run.spans).toFixed(2)} µs/span CPU, ` +
        `loop p99 ${run.loopP99Ms.toFixed(2)} ms max ${run.loopMaxMs.toFixed(2)} ms, lost ${run.lost}`,
    );
  }
}

/** A burst of spans ended in one tick, then a flush: what reached the sink. */
async function burstLost(arm: Arm): Promise<number> {
  const tracer = arm.provider.getTracer('bench', '1.0.0');
  const before = await sink.stats();
  for (let i = 0; i < BURST; i++) endHttpServerSpan(tracer, i);
  await arm.provider.forceFlush();
  const after = await sink.stats();
  return BURST - (after.spans - before.spans);
}
const burst = {
  official: await burstLost(arms[1]!),
  otelkit: await burstLost(arms[2]!),
};

for (const arm of arms) await arm.provider.shutdown();
sink.stop();

const per = (name: Arm['name'], value: (run: Run) => number) => median(runs.get(name)!.map(value));
/** Export CPU per span of one arm in each round: that arm minus "off" of the same round. */
const exportCpu = (name: Arm['name']) =>
  runs.get(name)!.map((run, i) => {
    const off = runs.get('off')![i]!;
    return run.cpuUs / run.spans - off.cpuUs / off.spans;
  });
const official = exportCpu('official');
const otelkit = exportCpu('otelkit');
const ratio = median(otelkit.map((ours, i) => ours / official[i]!));
const lostOtelkit = runs.get('otelkit')!.reduce((sum, run) => sum + run.lost, 0);
/** What one span of this shape weighs on the wire, headers of its request included. */
const bytesPerSpan = median(runs.get('otelkit')!.map((run) => run.bytes / run.spans));
const offMax = per('off', (r) => r.loopMaxMs);
const offP99 = per('off', (r) => r.loopP99Ms);
const ourMax = per('otelkit', (r) => r.loopMaxMs);
const ourP99 = per('otelkit', (r) => r.loopP99Ms);
const maxBound = 1.5 * offMax + 2;
const p99Bound = 1.2 * offP99;

const summary = (name: Arm['name'], cpu?: number[]) => ({
  cpuUsPerSpan: per(name, (r) => r.cpuUs / r.spans),
  mainThreadCpuUsPerSpan: per(name, (r) => r.threadCpuUs / r.spans),
  exportCpuUsPerSpan: cpu ? median(cpu) : 0,
  loopP99Ms: per(name, (r) => r.loopP99Ms),
  loopMaxMs: per(name, (r) => r.loopMaxMs),
  lost: runs.get(name)!.reduce((sum, run) => sum + run.lost, 0),
});
const arm = {
  off: summary('off'),
  official: summary('official', official),
  otelkit: summary('otelkit', otelkit),
};

console.table(
  Object.entries(arm).map(([name, a]) => ({
    arm: name,
    'CPU µs/span': a.cpuUsPerSpan.toFixed(2),
    'export CPU µs/span': a.exportCpuUsPerSpan.toFixed(2),
    'main-thread µs/span': a.mainThreadCpuUsPerSpan.toFixed(2),
    'loop p99 ms': a.loopP99Ms.toFixed(2),
    'loop max ms': a.loopMaxMs.toFixed(2),
    lost: a.lost,
  })),
);
console.log(
  `burst of ${BURST} spans in one tick, lost: official ${burst.official}, otelkit ${burst.otelkit}`,
);

const goals: Goal[] = [
  {
    name: 'export CPU per span vs official BatchSpanProcessor + OTLP/protobuf',
    target: '≤ 0.25×',
    value: ratio,
    met: ratio <= 0.25,
  },
  {
    name: `spans lost at ${SPANS_PER_SECOND} spans/s`,
    target: '= 0',
    value: lostOtelkit,
    met: lostOtelkit === 0,
  },
  {
    name: 'event-loop delay max, ms',
    target: `≤ 1.5 × ${offMax.toFixed(2)} + 2 = ${maxBound.toFixed(2)}`,
    value: ourMax,
    met: ourMax <= maxBound,
  },
  {
    name: 'event-loop delay p99, ms',
    target: `≤ 1.2 × ${offP99.toFixed(2)} = ${p99Bound.toFixed(2)}`,
    value: ourP99,
    met: ourP99 <= p99Bound,
  },
];
writeResults(
  'export',
  {
    name: 'export',
    spansPerSecond: SPANS_PER_SECOND,
    seconds: SECONDS,
    rounds: ROUNDS,
    arms: arm,
    ratio,
    bytesPerSpan,
    maxQueueBytes: 8 * 1024 * 1024,
    burst: { spans: BURST, lost: burst },
  },
  goals,
);
