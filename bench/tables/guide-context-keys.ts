// docs/guides/context-and-cancellation.md: what context keys cost, from context-keys.
import { type ComparisonResults, comparisonOf, type LoadResults, times } from '../lib/tables.ts';

/** The guide's cost paragraph. */
export default function render(load: LoadResults): string {
  const results = load('context-keys') as ComparisonResults;
  const plain = comparisonOf(results, 'key.with(v, fn), no span attribute');
  const attribute = comparisonOf(results, 'key.with(v, fn), with a span attribute');
  const spans = comparisonOf(results, 'span start with 3 context keys set');
  return [
    `**Cost.** \`key.with(v, fn)\` costs ${times(plain.ratio)} a raw \`context.with(ctx.setValue(k, v), fn)\``,
    `(${times(attribute.ratio)} for a key with a span attribute; \`bench/context/context-keys.bench.ts\`).`,
    'Spans started in a context with keys set pay one lookup and one small copy: a span start with',
    `the three built-in keys set costs ${times(spans.ratio)} one with none. A span started where no key`,
    'is set pays one lookup.',
  ].join('\n');
}
