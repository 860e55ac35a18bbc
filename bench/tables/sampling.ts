// docs/guides/sampling.md and docs/performance.md: exporting everything, head
// sampling and tail sampling on one service, from sampling.
import { type LoadResults, machineOf, metOf, type Results, table, times } from '../lib/tables.ts';

interface ArmSummary {
  readonly cpuPerRequestUs: number;
  readonly bytesPerRequest: number;
  readonly spansPerRequest: number;
  readonly ratios: { readonly cpuPerRequestUs: number; readonly bytesPerRequest: number };
  readonly keptServed: number;
  readonly keptComplete: number;
}

interface SamplingResults extends Results {
  readonly rounds: number;
  readonly seconds: number;
  readonly connections: number;
  readonly ratio: number;
  readonly slowMs: number;
  readonly keepSlowerThanMs: number;
  readonly spansPerRequest: number;
  readonly arms: Record<'all' | 'head' | 'tail', ArmSummary>;
}

const ARMS = [
  ['all', 'export everything'],
  ['head', 'head sampling, `sampleRatio: RATIO`'],
  ['tail', 'tail sampling, `sampling: { ratio: RATIO, keepSlowerThanMs: KEEP }`'],
] as const;

/** The comparison table, its goals and where the figures come from. */
export default function render(load: LoadResults): string {
  const results = load('sampling') as SamplingResults;
  const percent = `${Math.round(results.ratio * 100)} %`;
  const rows = ARMS.map(([arm, label]) => {
    const s = results.arms[arm];
    return [
      label
        .replace('RATIO', String(results.ratio))
        .replace('KEEP', String(results.keepSlowerThanMs)),
      `${s.cpuPerRequestUs.toFixed(0)} µs (${times(s.ratios.cpuPerRequestUs)})`,
      `${s.bytesPerRequest.toFixed(0)} B (${times(s.ratios.bytesPerRequest)})`,
      s.spansPerRequest.toFixed(2),
      `${s.keptComplete} of ${s.keptServed}`,
    ];
  });
  const goals = table(
    ['goal', 'target', 'figure', 'met'],
    (results.goals ?? []).map((goal) => [
      goal.name,
      goal.target,
      Number(goal.value.toFixed(3)).toString(),
      metOf(goal.met),
    ]),
  );
  return [
    `A Fastify service whose requests make ${results.spansPerRequest} spans each, one in a hundred`,
    `failing and one in a hundred taking ${results.slowMs} ms, under ${results.connections} connections`,
    `of autocannon; every arm exports over OTLP/protobuf to a loopback sink through the processors`,
    '`setup()` installs. Medians of ' +
      `${results.rounds} rounds of ${results.seconds} s, arms alternated; ratios against exporting`,
    `everything in the same round. Head and tail sampling keep ${percent} of ordinary traces.`,
    '',
    table(
      [
        'arm',
        'server CPU per request',
        'trace bytes exported per request',
        'spans kept per request',
        'failing and slow requests whose trace arrived complete',
      ],
      rows,
    ),
    '',
    goals,
    '',
    `Measured on ${machineOf(results)}: figures from a shared machine are provisional.`,
  ].join('\n');
}
