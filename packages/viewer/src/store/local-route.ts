import type { SpanSkeleton, SpanTree } from './span-skeleton.ts';

const server = 2;
const consumer = 5;

/** The route of a failed span, or why it is not known yet. */
export interface LocalRoute {
  route: string;
  /** The span's local root has not arrived: the route may still be found. */
  pending: boolean;
}

/**
 * The `http.route` of a span, else of the nearest ancestor in its service that has one, up to
 * its local root (the entry span of that service: a server or consumer span, a root, or a span
 * whose parent is in another service).
 */
export function localRoute(span: SpanSkeleton, tree: SpanTree): LocalRoute {
  let current = span;
  for (let depth = 0; depth < 10_000; depth++) {
    if (current.route) return { route: current.route, pending: false };
    if (!current.parentSpanId || current.kind === server || current.kind === consumer) break;
    const parent = tree.get(current.parentSpanId);
    if (!parent) return { route: '', pending: true };
    if (parent.service !== current.service) break;
    current = parent;
  }
  return { route: '', pending: false };
}
