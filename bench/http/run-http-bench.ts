import { relative } from 'node:path';
import { median } from '../lib/compare.ts';
import { type Goal, ratioGoal, writeResults } from '../lib/results.ts';
import { type ArmName, EXPORTING_ARMS, type Framework, OFFICIAL_ROUTE } from './arms.ts';
import { httpBenchOptions, PROFILES_DIRECTORY } from './options.ts';
import { type ArmRun, runArm } from './run-arm.ts';

/** The figures compared between arms; lower is better except requests/s. */
const METRICS = [
  'cpuPerRequestUs',
  'requestsPerSecond',
  'latencyP99Ms',
  'eventLoopDelayP99Ms',
] as const;
type Metric = (typeof METRICS)[number];

/** otelkit's goals against the plain server of the same round. */
const GOALS: Record<Metric, { name: string; limit: number; atLeast?: boolean }> = {
  cpuPerRequestUs: { name: 'otelkit server CPU per request vs plain', limit: 1.6 },
  requestsPerSecond: { name: 'otelkit requests/s vs plain', limit: 0.7, atLeast: true },
  latencyP99Ms: { name: 'otelkit latency p99 vs plain', limit: 2 },
  eventLoopDelayP99Ms: { name: 'otelkit event-loop delay p99 vs plain', limit: 1.5 },
};

/**
 * Measures a hello-world server of `framework` in each arm: plain, otelkit
 * (full `setup()`, every span exported over OTLP/protobuf to a loopback sink)
 * and the official route, each server in its own process and the load from
 * autocannon in another. Arms rotate their position each round; the figures
 * are medians of per-round ratios against the plain server. Each instrumented
 * arm's sink must have received one root server span per request served, or
 * the run fails. Writes `bench/results/http-<framework>.json`.
 */
export async function benchHttpFramework(framework: Framework): Promise<void> {
  const options = httpBenchOptions();
  const { arms, rounds } = options;
  console.log(
    `http-${framework}: ${rounds} rounds of ${options.warmupSeconds} s warm-up + ${options.seconds} s ` +
      `measured, ${options.connections} connections, arms ${arms.join(', ')}`,
  );
  if (options.profile.length === 0) {
    console.log(
      `  CPU profiles: BENCH_CPU_PROF=1 starts the otelkit server with --cpu-prof into ${PROFILES_DIRECTORY}/`,
    );
  }
  const runs = Object.fromEntries(arms.map((arm) => [arm, [] as ArmRun[]])) as Record<
    ArmName,
    ArmRun[]
  >;
  for (let round = 0; round < rounds; round++) {
    for (let position = 0; position < arms.length; position++) {
      const arm = arms[(position + round) % arms.length]!;
      const run = await runArm(framework, arm, round, position, options);
      runs[arm].push(run);
      console.log(
        `  round ${round + 1} ${arm.padEnd(8)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s` +
          `  p99 ${run.latencyP99Ms.toFixed(1)} ms  cpu ${run.cpuPerRequestUs.toFixed(1)} µs/req` +
          `  loop delay p99 ${run.eventLoopDelayP99Ms.toFixed(2)} ms` +
          (run.spans
            ? `  root spans ${run.spans.rootServerSpans}/${run.requestsServed} requests`
            : ''),
      );
    }
  }

  const summary = Object.fromEntries(
    arms.map((arm) => [arm, summarize(runs, arm, arms.includes('plain'))]),
  );
  const delivery = Object.fromEntries(
    arms.filter((arm) => EXPORTING_ARMS.includes(arm)).map((arm) => [arm, deliveryOf(runs[arm])]),
  );
  const goals: Goal[] = [];
  const otelkitRatios = summary.otelkit?.ratios;
  if (otelkitRatios) {
    for (const metric of METRICS) {
      const { name, limit, atLeast } = GOALS[metric];
      goals.push(ratioGoal(name, otelkitRatios[metric], limit, atLeast));
    }
  }

  console.log(`\nhttp-${framework}: medians over ${rounds} rounds; ratios vs plain, same round`);
  console.table(
    arms.map((arm) => {
      const { medians, ratios } = summary[arm]!;
      const cell = (metric: Metric, digits: number) =>
        `${medians[metric].toFixed(digits)}${ratios && arm !== 'plain' ? ` (${ratios[metric].toFixed(2)}×)` : ''}`;
      return {
        arm,
        'cpu µs/req': cell('cpuPerRequestUs', 1),
        'req/s': cell('requestsPerSecond', 0),
        'p99 ms': cell('latencyP99Ms', 1),
        'loop delay p99 ms': cell('eventLoopDelayP99Ms', 2),
        'root spans / requests': delivery[arm]
          ? `${delivery[arm].rootServerSpans} / ${delivery[arm].requestsServed}`
          : '',
      };
    }),
  );
  if (goals.length > 0) console.table(goals);

  const file = `http-${framework}${options.quick ? '.tmp' : ''}`;
  const path = writeResults(
    file,
    {
      name: `http-${framework}`,
      framework,
      officialRoute: OFFICIAL_ROUTE[framework],
      rounds,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      connections: options.connections,
      arms: summary,
      delivery,
      runs,
    },
    goals,
  );
  console.log(`results: ${relative(process.cwd(), path)}`);

  const short = Object.entries(delivery).filter(([, d]) => !d.complete);
  if (short.length > 0) {
    for (const [arm, d] of short) {
      console.error(
        `${arm}: the sink received ${d.rootServerSpans} root server spans for ${d.requestsServed} requests served`,
      );
    }
    process.exitCode = 1;
  }
}

function summarize(runs: Record<ArmName, ArmRun[]>, arm: ArmName, withPlain: boolean) {
  const mine = runs[arm];
  const medians = Object.fromEntries(
    METRICS.map((metric) => [metric, median(mine.map((run) => run[metric]))]),
  ) as Record<Metric, number>;
  const ratios = withPlain
    ? (Object.fromEntries(
        METRICS.map((metric) => [
          metric,
          median(mine.map((run, i) => run[metric] / runs.plain[i]![metric])),
        ]),
      ) as Record<Metric, number>)
    : undefined;
  return { medians, ratios };
}

function deliveryOf(runs: readonly ArmRun[]) {
  const sum = (pick: (run: ArmRun) => number) => runs.reduce((n, run) => n + pick(run), 0);
  const requestsServed = sum((run) => run.requestsServed);
  const rootServerSpans = sum((run) => run.spans?.rootServerSpans ?? 0);
  const spans = sum((run) => run.spans?.spans ?? 0);
  return {
    requestsServed,
    rootServerSpans,
    spans,
    spansPerRequest: spans / requestsServed,
    complete: runs.every((run) => run.spans?.rootServerSpans === run.requestsServed),
  };
}
