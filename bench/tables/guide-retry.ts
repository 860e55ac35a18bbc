// docs/guides/resilience.md: what retry costs on the success path, from retry.
import {
  type ComparisonResults,
  comparisonOf,
  duration,
  type LoadResults,
  times,
} from '../lib/tables.ts';

/** The guide's cost bullet. */
export default function render(load: LoadResults): string {
  const results = load('retry') as ComparisonResults;
  const fixed = comparisonOf(results, 'retry(fn), fn is an empty async function (fixed cost)');
  const io = comparisonOf(results, 'retry(fn), fn succeeds after one event-loop turn');
  return [
    '- **Cost:** on the success path, `retry` adds one promise reaction ' +
      `(${duration(fixed.candidateNsPerOp - fixed.baselineNsPerOp)} measured).`,
    `  Around a call that waits one event-loop turn it costs ${times(io.ratio)} calling the function`,
    '  directly (`bench/context/retry.bench.ts`).',
  ].join('\n');
}
