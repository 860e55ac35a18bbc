// Tail sampling against exporting everything and head sampling: a Fastify
// service with 1 % failing and 1 % slow requests, every arm exporting over
// OTLP/protobuf to its own loopback sink through the processors setup()
// installs. Arms rotate their position each round; the figures are medians of
// per-round ratios against `all` of the same round. The sink takes the census
// of every trace: the run fails when a trace arrived partial, or when `all`
// lost a span. Writes bench/results/sampling.json.
import { relative } from 'node:path';
import { median } from '../lib/compare.ts';
import { type Goal, ratioGoal, writeResults } from '../lib/results.ts';
import {
  ARMS,
  type ArmName,
  KEEP_SLOWER_THAN_MS,
  type Kind,
  RATIO,
  SLOW_MS,
  SPANS_PER_REQUEST,
} from './arms.ts';
import { samplingBenchOptions } from './options.ts';
import { type ArmRun, runArm } from './run-arm.ts';

const options = samplingBenchOptions();
const { rounds } = options;
console.log(
  `sampling: ${rounds} rounds of ${options.warmupSeconds} s warm-up + ${options.seconds} s measured, ` +
    `${options.connections} connections, arms ${ARMS.join(', ')}`,
);

const runs = Object.fromEntries(ARMS.map((arm) => [arm, [] as ArmRun[]])) as Record<
  ArmName,
  ArmRun[]
>;
for (let round = 0; round < rounds; round++) {
  for (let position = 0; position < ARMS.length; position++) {
    const arm = ARMS[(position + round) % ARMS.length]!;
    const run = await runArm(arm, round, position, options);
    runs[arm].push(run);
    console.log(
      `  round ${round + 1} ${arm.padEnd(4)} cpu ${run.cpuPerRequestUs.toFixed(1)} µs/req` +
        `  ${run.bytesPerRequest.toFixed(0)} B/req  ${run.spansPerRequest.toFixed(3)} spans/req` +
        `  failing and slow traces complete ${run.keptComplete}/${run.keptServed}`,
    );
  }
}

const problems: string[] = [];
for (const arm of ARMS) {
  for (const run of runs[arm]) {
    if (run.partial > 0)
      problems.push(`${arm}, round ${run.round + 1}: ${run.partial} partial traces`);
  }
}
for (const run of runs.all) {
  if (run.spans !== run.handled * SPANS_PER_REQUEST) {
    problems.push(
      `all, round ${run.round + 1}: ${run.spans} spans for ${run.handled} requests (a span was lost)`,
    );
  }
}

const ratioTo = (arm: ArmName, pick: (run: ArmRun) => number) =>
  median(runs[arm].map((run, i) => pick(run) / pick(runs.all[i]!)));
const sum = (arm: ArmName, pick: (run: ArmRun) => number) =>
  runs[arm].reduce((n, run) => n + pick(run), 0);
const kinds: Kind[] = ['fail', 'slow', 'ok'];
const summary = Object.fromEntries(
  ARMS.map((arm) => [
    arm,
    {
      cpuPerRequestUs: median(runs[arm].map((run) => run.cpuPerRequestUs)),
      bytesPerRequest: median(runs[arm].map((run) => run.bytesPerRequest)),
      spansPerRequest: median(runs[arm].map((run) => run.spansPerRequest)),
      ratios: {
        cpuPerRequestUs: ratioTo(arm, (run) => run.cpuPerRequestUs),
        bytesPerRequest: ratioTo(arm, (run) => run.bytesPerRequest),
      },
      requestsServed: sum(arm, (run) => run.requestsServed),
      spans: sum(arm, (run) => run.spans),
      traces: sum(arm, (run) => run.traces),
      served: Object.fromEntries(kinds.map((k) => [k, sum(arm, (run) => run.served[k])])),
      received: Object.fromEntries(
        kinds.map((k) => [k, sum(arm, (run) => run.received[k].traces)]),
      ),
      keptServed: sum(arm, (run) => run.keptServed),
      keptComplete: sum(arm, (run) => run.keptComplete),
    },
  ]),
) as Record<ArmName, ArmSummary>;

interface ArmSummary {
  cpuPerRequestUs: number;
  bytesPerRequest: number;
  spansPerRequest: number;
  ratios: { cpuPerRequestUs: number; bytesPerRequest: number };
  requestsServed: number;
  spans: number;
  traces: number;
  served: Record<Kind, number>;
  /** Traces received, by the kind of request. */
  received: Record<Kind, number>;
  /** Failing and slow requests answered, and those whose trace arrived complete. */
  keptServed: number;
  keptComplete: number;
}

const tail = summary.tail;
const keptWhole = tail.keptComplete / tail.keptServed;
const goals: Goal[] = [
  ratioGoal(
    'tail sampling CPU per request vs exporting everything',
    tail.ratios.cpuPerRequestUs,
    1.05,
  ),
  ratioGoal(
    'tail sampling bytes exported per request vs exporting everything',
    tail.ratios.bytesPerRequest,
    0.15,
  ),
  {
    name: 'tail sampling: share of failing and slow requests whose trace arrived complete',
    target: '= 1',
    value: keptWhole,
    met: keptWhole === 1,
  },
];

console.log(`\nsampling: medians over ${rounds} rounds; ratios vs all, same round`);
console.table(
  ARMS.map((arm) => {
    const s = summary[arm];
    return {
      arm,
      'cpu µs/req': `${s.cpuPerRequestUs.toFixed(1)} (${s.ratios.cpuPerRequestUs.toFixed(2)}×)`,
      'bytes/req': `${s.bytesPerRequest.toFixed(0)} (${s.ratios.bytesPerRequest.toFixed(3)}×)`,
      'spans/req': s.spansPerRequest.toFixed(3),
      'failing and slow traces complete': `${s.keptComplete} / ${s.keptServed}`,
    };
  }),
);
console.table(goals);

const path = writeResults(
  `sampling${options.quick ? '.tmp' : ''}`,
  {
    name: 'sampling',
    rounds,
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
    connections: options.connections,
    ratio: RATIO,
    slowMs: SLOW_MS,
    keepSlowerThanMs: KEEP_SLOWER_THAN_MS,
    spansPerRequest: SPANS_PER_REQUEST,
    arms: summary,
    runs,
  },
  goals,
);
console.log(`results: ${relative(process.cwd(), path)}`);
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exitCode = 1;
}
