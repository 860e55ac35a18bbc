// docs/performance.md: tracing, errors and metrics, from tracing, record-error and typed-metrics.
import {
  type ComparisonResults,
  comparisonTable,
  type LoadResults,
  machineOf,
} from '../lib/tables.ts';

const ROWS = [
  [
    'tracing',
    'withSpan, sync fn',
    '`withSpan` around a sync function',
    '`tracer.startActiveSpan` + `try/finally span.end()`',
  ],
  ['tracing', 'withSpan, async fn', '`withSpan` around an async function', 'the same, async'],
  [
    'tracing',
    'traced, sync fn with attributes',
    '`traced` (sync, with the operation’s attributes)',
    '`startActiveSpan({ attributes })` + `try/finally`',
  ],
  ['tracing', 'traced, async fn with attributes', '`traced` (async)', 'the same, async'],
  [
    'record-error',
    'recordError, 3-level cause chain, fresh errors',
    '`recordError` of a 3-level cause chain (errors just thrown)',
    '`span.recordException` of the outer error',
  ],
  [
    'record-error',
    'recordError, 3-level cause chain, one error recorded again (stack cached)',
    'the same, one error recorded again (its stack cached)',
    'the same',
  ],
  ['typed-metrics', 'typed counter add', 'typed counter `add`', 'the SDK counter’s `add`'],
] as const;

/** The tracing table: per-operation time of each arm, the median ratio and its goal. */
export default function render(load: LoadResults): string {
  const results = (name: string) => load(name) as ComparisonResults & { spansExported?: number };
  const tracing = results('tracing');
  const recordError = results('record-error');
  const exported = (tracing.spansExported ?? 0) + (recordError.spansExported ?? 0);
  return [
    comparisonTable(ROWS.map(([file, ...row]) => [results(file), ...row])),
    '',
    `Times are the process's CPU time per operation, medians over the rounds, each arm's own; the ratio is the median of the per-round ratios. ` +
      `Every span ended was exported through OtlpSpanProcessor to a sink process that counted it (${exported.toLocaleString('en-US')} spans). ` +
      `${machineOf(tracing, recordError, results('typed-metrics'))}.`,
  ].join('\n');
}
