// docs/guides/tracing-and-errors.md: what a typed counter costs, from typed-metrics.
import { type ComparisonResults, comparisonOf, type LoadResults, times } from '../lib/tables.ts';

/** One sentence: the typed counter's ratio. */
export default function render(load: LoadResults): string {
  const add = comparisonOf(load('typed-metrics') as ComparisonResults, 'typed counter add');
  return (
    `Measured, \`add\` costs ${times(add.ratio)} the SDK counter's own ` +
    '(`bench/tracing/metrics.bench.ts`).'
  );
}
