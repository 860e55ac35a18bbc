// docs/guides/tracing-and-errors.md: what withSpan costs, from tracing.
import { type ComparisonResults, comparisonOf, type LoadResults, times } from '../lib/tables.ts';

/** One paragraph: withSpan's ratio, sync and async. */
export default function render(load: LoadResults): string {
  const tracing = load('tracing') as ComparisonResults;
  const sync = comparisonOf(tracing, 'withSpan, sync fn');
  const async = comparisonOf(tracing, 'withSpan, async fn');
  return (
    'The overhead is measured in `bench/tracing/tracing.bench.ts` against a hand-written\n' +
    '`tracer.startActiveSpan` with `try/finally`, every span exported: ' +
    `${times(sync.ratio)} its time sync and\n${times(async.ratio)} async ` +
    `(goal ≤ ${times(sync.goal ?? Number.NaN)}; [Performance](../performance.md) has the table).`
  );
}
