import type { Span } from './api-client.ts';

/** A span placed in the waterfall. */
export interface PlacedSpan {
  span: Span;
  depth: number;
  /** The parent span id is set but that span was not received. */
  orphan: boolean;
}

/** Orders spans depth-first, children by start time; spans whose parent is missing become roots. */
export function placeSpans(spans: Span[]): PlacedSpan[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      const siblings = children.get(span.parentSpanId) ?? [];
      siblings.push(span);
      children.set(span.parentSpanId, siblings);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a: Span, b: Span) => compareNs(a.startTimeUnixNano, b.startTimeUnixNano);
  const placed: PlacedSpan[] = [];
  const seen = new Set<Span>();
  const visit = (span: Span, depth: number) => {
    if (seen.has(span)) return;
    seen.add(span);
    placed.push({ span, depth, orphan: span.parentSpanId !== '' && !ids.has(span.parentSpanId) });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of roots.sort(byStart)) visit(root, 0);
  // Spans caught in a parent cycle are not reachable from a root; show them anyway.
  for (const span of spans) if (!seen.has(span)) visit(span, 0);
  return placed;
}

function compareNs(a: string, b: string): number {
  const diff = BigInt(a) - BigInt(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}
