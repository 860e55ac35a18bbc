// docs/performance.md: a pino line with and without log export, from pino.
import {
  type ComparisonResults,
  comparisonOf,
  duration,
  goalOf,
  type LoadResults,
  machineOf,
  metOf,
  table,
  times,
} from '../lib/tables.ts';

const ROWS = [
  [
    'info line in a span, no LoggerProvider',
    'a `createLogger` line inside a span (trace ids on the line)',
  ],
  [
    'info line in a span, every line also exported as a log record',
    'the same, every line also exported as an OpenTelemetry log record',
  ],
] as const;

/** The logs table. */
export default function render(load: LoadResults): string {
  const pino = load('pino') as ComparisonResults & { logRecordsExported?: number };
  const rows = ROWS.map(([title, what]) => {
    const c = comparisonOf(pino, title);
    return [
      what,
      'a plain pino line',
      duration(c.candidateNsPerOp),
      duration(c.baselineNsPerOp),
      times(c.ratio),
      goalOf(c),
      metOf(c.met),
    ];
  });
  return [
    table(['what', 'against', 'otelkit', 'baseline', 'ratio', 'goal', 'met'], rows),
    '',
    `CPU time per line, medians over the rounds; both loggers write synchronously to \`/dev/null\`. Every exported record reached the exporter and was counted ` +
      `(${(pino.logRecordsExported ?? 0).toLocaleString('en-US')} records). ${machineOf(pino)}.`,
  ].join('\n');
}
