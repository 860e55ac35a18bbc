// docs/guides/http-and-logs.md: what the HTTP adapters and the pino integration cost,
// from http-fastify, http-express, http-hono, http-node-http and pino.
import { BUSY_MICROS } from '../http/arms.ts';
import { type ComparisonResults, comparisonOf, type LoadResults, times } from '../lib/tables.ts';

type Ratios = Record<'cpuPerRequestUs' | 'requestsPerSecond', number>;
interface HttpResults {
  readonly arms: Record<string, { ratios?: Ratios }>;
}

const FRAMEWORKS = [
  ['fastify', 'Fastify'],
  ['express', 'Express'],
  ['hono', 'Hono'],
  ['node-http', 'node:http'],
] as const;

/** The guide's cost bullets. */
export default function render(load: LoadResults): string {
  const each = (arm: string, metric: keyof Ratios) =>
    FRAMEWORKS.map(([name, label]) => {
      const value = (load(`http-${name}`) as HttpResults).arms[arm]?.ratios?.[metric];
      return `${value === undefined ? '—' : value.toFixed(2)} (${label})`;
    }).join(', ');
  const pino = load('pino') as ComparisonResults;
  const quiet = comparisonOf(pino, 'info line in a span, no LoggerProvider');
  const exported = comparisonOf(
    pino,
    'info line in a span, every line also exported as a log record',
  );
  const byHand = comparisonOf(
    pino,
    'info line in a span, then a record of its fields emitted by hand',
  );
  return [
    '- A hello-world server under autocannon, with the full `setup()` exporting every span: otelkit',
    `  kept ${each('otelkit', 'requestsPerSecond')} of the plain server's`,
    `  requests/s and used ${each('otelkit', 'cpuPerRequestUs')}`,
    '  times its CPU per request.',
    '  The official route (the SDK for Node, its HTTP instrumentation and the framework’s own) kept',
    `  ${each('official', 'requestsPerSecond')}. For scale, the plain server made to do`,
    `  ${BUSY_MICROS} µs of JavaScript per request, and nothing else, used ${each('busy', 'cpuPerRequestUs')}`,
    '  times its CPU per request: on a server this fast, any work added to a request weighs more',
    '  than itself. Sample (`sampleRatio`) when that matters. Details, and how to profile a',
    '  server, in [Performance](../performance.md).',
    `- A pino line inside a span: ${times(quiet.ratio)} a plain pino line when no logs are exported;`,
    `  exporting every line as an OpenTelemetry log record (OtlpLogRecordProcessor, as setup() installs it) costs ${times(exported.ratio)},`,
    `  read from the line pino wrote; a record of the same fields handed to the SDK by hand, with no reading, costs ${times(byHand.ratio)}.`,
  ].join('\n');
}
