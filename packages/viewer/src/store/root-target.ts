import type { SpanRecord } from '../records.ts';
import type { SpanTree } from './span-skeleton.ts';

const server = 2;
const client = 3;

/**
 * What a trace whose root is a client span called, for the trace list (its name alone is often
 * just `GET`): the root's `url.full`, else the name of the server span it reached. Found from a
 * batch of the trace and its earlier spans in `tree`; empty when not known (yet).
 */
export function rootTarget(spans: readonly SpanRecord[], tree: SpanTree): string {
  const root = spans.find((s) => s.parentSpanId === '');
  if (root) {
    if (root.kind !== client) return '';
    if (root.urlFull) return root.urlFull;
    const child = spans.find((s) => s.parentSpanId === root.spanId && s.kind === server);
    if (child) return child.name;
    for (const span of tree.byId.values()) {
      if (span.parentSpanId === root.spanId && span.kind === server) return span.name;
    }
    return '';
  }
  // The root came earlier: a server span right under a client root names what it reached.
  for (const span of spans) {
    if (span.kind !== server || !span.parentSpanId) continue;
    const parent = tree.get(span.parentSpanId);
    if (parent && parent.parentSpanId === '' && parent.kind === client) return span.name;
  }
  return '';
}
