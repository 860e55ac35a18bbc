import type { SpanView } from '../store/span-view.ts';
import type { TraceSummary } from '../store/trace-queries.ts';

/** One trace's span at a row of a comparison. */
export interface ComparedSide {
  spanId: string;
  durationMs: number;
  /** When it started, after the start of its trace. */
  offsetMs: number;
  /** The span's status is ERROR. */
  error: boolean;
}

/** How a span of trace B differs from its counterpart in trace A. */
export type SpanChange = 'same' | 'slower' | 'faster' | 'failed' | 'recovered' | 'onlyA' | 'onlyB';

/** A row of a comparison: a span of either trace, or a span of each aligned with the other. */
export interface ComparedSpan {
  /** Nesting in the aligned tree (0 for roots). */
  depth: number;
  service: string;
  name: string;
  a: ComparedSide | null;
  b: ComparedSide | null;
  /** B's duration minus A's, in ms; null unless both traces have the span. */
  diffMs: number | null;
  /**
   * `slower` or `faster` when the durations differ by more than 20% and 1 ms, `failed` when
   * only B's failed, `recovered` when only A's did, `onlyA`/`onlyB` when one trace lacks it.
   */
  change: SpanChange;
}

/** Two traces, their span trees aligned by service, operation and position. */
export interface TraceComparison {
  a: TraceSummary;
  b: TraceSummary;
  rows: ComparedSpan[];
  /** How many rows of each kind of change. */
  changes: Record<SpanChange, number>;
}

interface Node {
  span: SpanView;
  children: Node[];
}

const statusError = 2;

/**
 * Aligns the span trees of two traces: roots with roots, then children with children, a span
 * of A paired with the span of B of the same service and name at the same position among its
 * siblings (the first `SELECT users` with the first, the second with the second). Whatever is
 * left of either is listed as present in that trace only, with its subtree.
 */
export function compareTraces(
  a: { summary: TraceSummary; spans: SpanView[] },
  b: { summary: TraceSummary; spans: SpanView[] },
): TraceComparison {
  const startA = BigInt(a.summary.startTimeUnixNano);
  const startB = BigInt(b.summary.startTimeUnixNano);
  const rows: ComparedSpan[] = [];
  const side = (node: Node, start: bigint): ComparedSide => ({
    spanId: node.span.spanId,
    durationMs: nsBetween(node.span.startTimeUnixNano, node.span.endTimeUnixNano),
    offsetMs: Number(BigInt(node.span.startTimeUnixNano) - start) / 1e6,
    error: node.span.status.code === statusError,
  });
  const only = (node: Node, depth: number, which: 'a' | 'b') => {
    const start = which === 'a' ? startA : startB;
    // Iteratively: a deep chain must not exhaust the stack.
    const stack: [Node, number][] = [[node, depth]];
    while (stack.length > 0) {
      const [current, level] = stack.pop()!;
      rows.push({
        depth: level,
        service: current.span.service,
        name: current.span.name,
        a: which === 'a' ? side(current, start) : null,
        b: which === 'b' ? side(current, start) : null,
        diffMs: null,
        change: which === 'a' ? 'onlyA' : 'onlyB',
      });
      for (let i = current.children.length - 1; i >= 0; i--) {
        stack.push([current.children[i]!, level + 1]);
      }
    }
  };
  // Depth-first over aligned sibling groups, kept in order with an explicit stack.
  const work: (() => void)[] = [];
  const alignGroup = (left: Node[], right: Node[], depth: number) => {
    const entries = alignSiblings(left, right);
    const steps = entries.map((entry) => () => {
      if (entry.a && entry.b) {
        const sa = side(entry.a, startA);
        const sb = side(entry.b, startB);
        rows.push({
          depth,
          service: entry.a.span.service,
          name: entry.a.span.name,
          a: sa,
          b: sb,
          diffMs: sb.durationMs - sa.durationMs,
          change: changeOf(sa, sb),
        });
        work.push(() => alignGroup(entry.a!.children, entry.b!.children, depth + 1));
      } else if (entry.a) only(entry.a, depth, 'a');
      else only(entry.b!, depth, 'b');
    });
    for (let i = steps.length - 1; i >= 0; i--) work.push(steps[i]!);
  };
  alignGroup(forest(a.spans), forest(b.spans), 0);
  while (work.length > 0) work.pop()!();
  const changes: Record<SpanChange, number> = {
    same: 0,
    slower: 0,
    faster: 0,
    failed: 0,
    recovered: 0,
    onlyA: 0,
    onlyB: 0,
  };
  for (const row of rows) changes[row.change]++;
  return { a: a.summary, b: b.summary, rows, changes };
}

function changeOf(a: ComparedSide, b: ComparedSide): SpanChange {
  if (b.error && !a.error) return 'failed';
  if (a.error && !b.error) return 'recovered';
  const diff = b.durationMs - a.durationMs;
  const threshold = Math.max(1, 0.2 * a.durationMs);
  if (diff > threshold) return 'slower';
  if (-diff > threshold) return 'faster';
  return 'same';
}

// Pairs the k-th sibling of each (service, name) in A with the k-th in B; the result follows
// start offsets, A's for pairs.
function alignSiblings(left: Node[], right: Node[]): { a?: Node; b?: Node }[] {
  const key = (node: Node) => `${node.span.service}\u0000${node.span.name}`;
  const waiting = new Map<string, Node[]>();
  for (const node of right) {
    const list = waiting.get(key(node));
    if (list) list.push(node);
    else waiting.set(key(node), [node]);
  }
  const entries: { a?: Node; b?: Node; at: number; order: number }[] = [];
  const startOf = (node: Node, nodes: Node[]) =>
    nsBetween(nodes[0]!.span.startTimeUnixNano, node.span.startTimeUnixNano);
  for (const node of left) {
    const match = waiting.get(key(node))?.shift();
    entries.push({ a: node, b: match, at: startOf(node, left), order: entries.length });
  }
  for (const list of waiting.values()) {
    for (const node of list)
      entries.push({ b: node, at: startOf(node, right), order: entries.length });
  }
  return entries.sort((x, y) => x.at - y.at || x.order - y.order);
}

// The spans as trees, children by start: roots are spans without a received parent; a cycle
// of parents is broken at its earliest span; a span id seen twice keeps its first span.
function forest(spans: SpanView[]): Node[] {
  const sorted = [...spans].sort((x, y) => compareNs(x.startTimeUnixNano, y.startTimeUnixNano));
  const nodes = new Map<string, Node>();
  for (const span of sorted)
    if (!nodes.has(span.spanId)) nodes.set(span.spanId, { span, children: [] });
  const roots: Node[] = [];
  const placed = new Set<Node>();
  for (const node of nodes.values()) {
    const parent = nodes.get(node.span.parentSpanId);
    if (!parent || parent === node) roots.push(node);
    else parent.children.push(node);
  }
  // Nodes reachable from the roots; the rest hang in cycles.
  const reach = (from: Node) => {
    const stack = [from];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (placed.has(node)) continue;
      placed.add(node);
      stack.push(...node.children);
    }
  };
  for (const root of roots) reach(root);
  for (const node of nodes.values()) {
    if (placed.has(node)) continue;
    const parent = nodes.get(node.span.parentSpanId)!;
    parent.children = parent.children.filter((child) => child !== node);
    roots.push(node);
    reach(node);
  }
  return roots;
}

function nsBetween(from: string, to: string): number {
  return Number(BigInt(to) - BigInt(from)) / 1e6;
}

function compareNs(x: string, y: string): number {
  const diff = BigInt(x) - BigInt(y);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}
