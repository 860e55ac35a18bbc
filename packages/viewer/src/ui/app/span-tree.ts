import type { Span } from './api-client.ts';

/** What is odd about a span's place in its trace, shown on its row. */
export interface PlacementFlags {
  /** Its parent span id is set, but no span of the trace has that id. */
  orphan: boolean;
  /** It names itself as its parent. */
  selfParent: boolean;
  /** Its parents lead back to it: the cycle is broken here, the span shown as a root. */
  cycle: boolean;
  /** Another span of the trace has its span id (its children are placed under the first). */
  duplicate: boolean;
}

/** A span placed in the waterfall. */
export interface PlacedSpan {
  span: Span;
  depth: number;
  /** The row of its parent, or -1 for a root. */
  parent: number;
  flags: PlacementFlags;
}

/**
 * Orders spans depth-first, children by start time. Whatever the trace holds, every span is
 * placed exactly once and the walk ends: spans whose parent is missing or is themselves become
 * roots, a cycle of parents is broken at its earliest span, a span id sent twice gets both rows
 * (children under the first). Iterative, so a chain 10,000 deep does not exhaust the stack.
 */
export function placeSpans(spans: Span[]): PlacedSpan[] {
  const starts = spans.map((s) => BigInt(s.startTimeUnixNano));
  const byStart = (a: number, b: number) =>
    starts[a]! < starts[b]! ? -1 : starts[a]! > starts[b]! ? 1 : a - b;
  const first = new Map<string, number>();
  const duplicate = spans.map((span, i) => {
    if (first.has(span.spanId)) return true;
    first.set(span.spanId, i);
    return false;
  });
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  spans.forEach((span, i) => {
    const parent = span.parentSpanId ? first.get(span.parentSpanId) : undefined;
    if (parent === undefined || span.parentSpanId === span.spanId) {
      roots.push(i);
      return;
    }
    const siblings = children.get(parent);
    if (siblings) siblings.push(i);
    else children.set(parent, [i]);
  });
  for (const siblings of children.values()) siblings.sort(byStart);
  const placed: PlacedSpan[] = [];
  const visited = new Uint8Array(spans.length);
  const walk = (root: number, cycle: boolean) => {
    const stack: [index: number, depth: number, parent: number][] = [[root, 0, -1]];
    while (stack.length > 0) {
      const [index, depth, parent] = stack.pop()!;
      if (visited[index]) continue;
      visited[index] = 1;
      const span = spans[index]!;
      const row = placed.length;
      placed.push({
        span,
        depth,
        parent,
        flags: {
          orphan: span.parentSpanId !== '' && !first.has(span.parentSpanId),
          selfParent: span.parentSpanId !== '' && span.parentSpanId === span.spanId,
          cycle: cycle && index === root,
          duplicate: duplicate[index]!,
        },
      });
      const kids = children.get(index) ?? [];
      for (let k = kids.length - 1; k >= 0; k--) {
        if (!visited[kids[k]!]) stack.push([kids[k]!, depth + 1, row]);
      }
    }
  };
  for (const root of roots.sort(byStart)) walk(root, false);
  // What is left hangs in cycles of parents: each is entered at its earliest span.
  const rest = spans
    .map((_, i) => i)
    .filter((i) => !visited[i])
    .sort(byStart);
  for (const index of rest) if (!visited[index]) walk(index, true);
  return placed;
}
