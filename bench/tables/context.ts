// docs/performance.md: context keys, the signal lookup and retry, from context-keys and retry.
import {
  type ComparisonResults,
  comparisonTable,
  type LoadResults,
  machineOf,
} from '../lib/tables.ts';

const ROWS = [
  [
    'context-keys',
    'key.with(v, fn), no span attribute',
    '`key.with(value, fn)`',
    '`context.with(ctx.setValue(...), fn)`',
  ],
  [
    'context-keys',
    'key.with(v, fn), with a span attribute',
    '`key.with(value, fn)` for a key with a span attribute',
    'the same',
  ],
  ['context-keys', 'currentSignal()', '`currentSignal()`', 'reading a context value'],
  [
    'context-keys',
    'span start with 3 context keys set',
    'a span start with 3 context keys set',
    'a span start with none',
  ],
  [
    'context-keys',
    'span start with 3 context keys set, against the same 3 attributes passed to startSpan',
    'a span start with 3 context keys set',
    'a span start with the same 3 attributes passed to `startSpan`',
  ],
  [
    'retry',
    'retry(fn), fn succeeds after one event-loop turn',
    '`retry(fn)` that succeeds at once (fn waits one event-loop turn)',
    'calling `fn`',
  ],
  [
    'retry',
    'retry(fn), fn is an empty async function (fixed cost)',
    '`retry(fn)` around an empty async function (its fixed cost)',
    'calling `fn`',
  ],
] as const;

/** The context and resilience table. */
export default function render(load: LoadResults): string {
  const results = (name: string) => load(name) as ComparisonResults;
  return [
    comparisonTable(ROWS.map(([file, ...row]) => [results(file), ...row])),
    '',
    `CPU time per operation, medians over the rounds; spans started are exported and counted. ${machineOf(results('context-keys'), results('retry'))}.`,
  ].join('\n');
}
