// docs/guides/tracing-and-errors.md: what recordError costs, from record-error.
import { type ComparisonResults, comparisonOf, type LoadResults, times } from '../lib/tables.ts';

/** One paragraph: recordError's ratio on errors just thrown. */
export default function render(load: LoadResults): string {
  const fresh = comparisonOf(
    load('record-error') as ComparisonResults,
    'recordError, 3-level cause chain, fresh errors',
  );
  return (
    'With errors just thrown, `recordError` of a three-level chain costs ' +
    `${times(fresh.ratio)} the SDK's\n\`recordException\` of the outer error alone ` +
    '(`bench/tracing/record-error.bench.ts`).'
  );
}
