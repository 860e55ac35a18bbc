// docs/performance.md: the HTTP servers, from http-fastify, http-express, http-hono and http-node-http.
import { BUSY_MICROS } from '../http/arms.ts';
import { type LoadResults, machineOf, type Results, table, times } from '../lib/tables.ts';

type Metric = 'cpuPerRequestUs' | 'requestsPerSecond' | 'latencyP99Ms' | 'eventLoopDelayP99Ms';
type Figures = Record<Metric, number>;

interface HttpResults extends Results {
  readonly officialRoute: string;
  readonly rounds: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly arms: Record<string, { medians: Figures; ratios?: Figures }>;
  readonly delivery: Record<
    string,
    { requestsServed: number; rootServerSpans: number; spansPerRequest: number; complete: boolean }
  >;
}

const FRAMEWORKS = [
  ['fastify', 'Fastify 5', '`otelkit/fastify`'],
  ['express', 'Express 5', '`otelkit/express`'],
  ['hono', 'Hono 4 on `@hono/node-server`', '`otelkit/hono`'],
  ['node-http', '`node:http`', '`otelkit/http`'],
] as const;

const METRICS: readonly { metric: Metric; limit: number; atLeast?: boolean }[] = [
  { metric: 'cpuPerRequestUs', limit: 1.6 },
  { metric: 'requestsPerSecond', limit: 0.7, atLeast: true },
  { metric: 'latencyP99Ms', limit: 2 },
  { metric: 'eventLoopDelayP99Ms', limit: 1.5 },
];
const HEAD = ['server CPU per request', 'requests/s', 'latency p99', 'event-loop delay p99'];

/** The HTTP tables: otelkit against its goals, the official route beside it, and the plain servers. */
export default function render(load: LoadResults): string {
  const all = FRAMEWORKS.map(([name, label, adapter]) => ({
    results: load(`http-${name}`) as HttpResults,
    label,
    adapter,
  }));
  const ratio = (results: HttpResults, arm: string, metric: Metric) =>
    results.arms[arm]?.ratios?.[metric];
  const delivered = (results: HttpResults, arm: string) => {
    const d = results.delivery[arm];
    if (!d) return '—';
    const spans = d.rootServerSpans.toLocaleString('en-US');
    const requests = d.requestsServed.toLocaleString('en-US');
    return d.complete ? `${spans} of ${requests}` : `**${spans} of ${requests}: short**`;
  };

  const otelkit = table(
    ['framework (otelkit)', ...HEAD, 'root spans received / requests served'],
    [
      [
        'goal',
        ...METRICS.map(({ limit, atLeast }) => `${atLeast ? '≥' : '≤'} ${times(limit)}`),
        'all',
      ],
      ...all.map(({ results, label, adapter }) => [
        `${label} (${adapter})`,
        ...METRICS.map(({ metric, limit, atLeast }) => {
          const value = ratio(results, 'otelkit', metric);
          if (value === undefined) return '—';
          const met = atLeast ? value >= limit : value <= limit;
          return met ? times(value) : `**${times(value)}** (missed)`;
        }),
        delivered(results, 'otelkit'),
      ]),
    ],
  );
  const official = table(
    ['framework (official route)', ...HEAD, 'spans per request'],
    all.map(({ results, label }) => [
      `${label}: ${results.officialRoute
        .split(' + ')
        .map((part) => `\`${part}\``)
        .join(' + ')}`,
      ...METRICS.map(({ metric }) => {
        const value = ratio(results, 'official', metric);
        return value === undefined ? '—' : times(value);
      }),
      results.delivery.official ? results.delivery.official.spansPerRequest.toFixed(0) : '—',
    ]),
  );
  const busy = table(
    [`framework (plain + ${BUSY_MICROS} µs of JavaScript per request)`, ...HEAD],
    all.map(({ results, label }) => [
      label,
      ...METRICS.map(({ metric }) => {
        const value = ratio(results, 'busy', metric);
        return value === undefined ? '—' : times(value);
      }),
    ]),
  );
  const plain = table(
    [
      'framework (plain)',
      'server CPU per request',
      'requests/s',
      'latency p99',
      'event-loop delay p99',
    ],
    all.map(({ results, label }) => {
      const m = results.arms.plain?.medians;
      if (!m) return [label, '—', '—', '—', '—'];
      return [
        label,
        `${m.cpuPerRequestUs.toFixed(1)} µs`,
        Math.round(m.requestsPerSecond).toLocaleString('en-US'),
        `${m.latencyP99Ms.toFixed(1)} ms`,
        `${m.eventLoopDelayP99Ms.toFixed(2)} ms`,
      ];
    }),
  );
  const first = all[0]!.results;
  return [
    'otelkit, relative to the same server without telemetry (medians of per-round ratios):',
    '',
    otelkit,
    '',
    'The official route, relative to the same plain server (no goal):',
    '',
    official,
    '',
    `A yardstick: the plain server made to do ${BUSY_MICROS} µs of pure JavaScript work per request, ` +
      'no telemetry, relative to the same plain server. Under this load on this machine, work added to a ' +
      'request costs more server CPU than the work itself (the kernel time of its socket writes grows as ' +
      'the server slows and the load generator waits), so a ratio here reads against this row:',
    '',
    busy,
    '',
    'The plain servers, for scale (medians):',
    '',
    plain,
    '',
    `${first.rounds} rounds per framework, each arm ${first.warmupSeconds} s warm-up then ${first.seconds} s ` +
      `measured with ${first.connections} connections; otelkit's arm is \`setup()\` as configured by default. ` +
      `${machineOf(...all.map((a) => a.results))}.`,
  ].join('\n');
}
