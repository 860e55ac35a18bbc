// docs/performance.md: a pino line with and without log export, from pino.
import {
  type ComparisonResults,
  comparisonTable,
  type LoadResults,
  machineOf,
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
  [
    'info line in a span, then a record of its fields emitted by hand',
    'for reference: a plain line, then a record of the same fields handed to the SDK (the cost of the SDK and the export alone)',
  ],
] as const;

/** The logs table. */
export default function render(load: LoadResults): string {
  const pino = load('pino') as ComparisonResults & { logRecordsExported?: number };
  return [
    comparisonTable(ROWS.map(([title, what]) => [pino, title, what, 'a plain pino line'])),
    '',
    `CPU time per line, medians over the rounds; both loggers write synchronously to \`/dev/null\`. Every exported record reached the sink process and was counted ` +
      `(${(pino.logRecordsExported ?? 0).toLocaleString('en-US')} records). ${machineOf(pino)}.`,
  ].join('\n');
}
