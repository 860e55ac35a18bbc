import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { FailureSummary } from '../records.ts';
import { type LocalRoute, localRoute } from './local-route.ts';
import { normalizeMessage } from './normalize-message.ts';
import type { SpanSkeleton, SpanTree } from './span-skeleton.ts';

/** A failed span to record. */
export interface FailedSpan {
  traceId: string;
  spanId: string;
  service: string;
  endNs: bigint;
  failure: FailureSummary;
}

// Bits of `error_events.pending`.
const routePending = 1;
const mayBeEcho = 2;

/**
 * Records failures in `error_events`, each in its group of `error_groups` (service, type, route
 * and normalized message). A failure whose route waits for its local root is marked pending and
 * moved to its group when the root arrives. A failure without an `exception` event that a
 * failed child explains (a caller seeing its call fail, a parent failing because its child did)
 * is the same error again: it is not recorded, and is removed if the failed child arrives later.
 * So is one whose first link leads to a span that recorded an exception (a crash handler's span
 * linking to the span the crash escaped from), whichever of the two arrives first.
 */
export class ErrorWriter {
  readonly #group: StatementSync;
  readonly #insertEvent: StatementSync;
  readonly #pendingOf: StatementSync;
  readonly #resolve: StatementSync;
  readonly #remove: StatementSync;
  readonly #recordedAt: StatementSync;
  readonly #removeLinked: StatementSync;
  // Group ids by key, with the chain last written: most errors repeat a known group.
  readonly #known = new Map<string, { id: number; chain: string }>();
  readonly #messages = new Map<string, string>();

  constructor(db: DatabaseSync) {
    this.#group = db.prepare(`INSERT INTO error_groups (service, type, route, message, chain_types)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT (service, type, route, message)
      DO UPDATE SET chain_types = excluded.chain_types RETURNING id`);
    this.#insertEvent = db.prepare(`INSERT INTO error_events (group_id, time_ns, trace_id, span_id,
      pending, linked_span) VALUES (?, ?, ?, ?, ?, ?)`);
    this.#pendingOf = db.prepare(`SELECT e.id, e.span_id, e.pending, g.service, g.type,
      g.message, g.chain_types FROM error_events e JOIN error_groups g ON g.id = e.group_id
      WHERE e.trace_id = ? AND e.pending != 0`);
    this.#resolve = db.prepare('UPDATE error_events SET group_id = ?, pending = ? WHERE id = ?');
    this.#remove = db.prepare('DELETE FROM error_events WHERE id = ?');
    this.#recordedAt = db.prepare(`SELECT 1 FROM error_events
      WHERE span_id = ? AND trace_id = ? AND pending & ${mayBeEcho} = 0 LIMIT 1`);
    this.#removeLinked = db.prepare(
      `DELETE FROM error_events WHERE linked_span = ? AND linked_span != ''`,
    );
  }

  /**
   * Records one failed span, its route found among `tree` (the trace's spans so far), unless
   * it is the echo of a failed child.
   */
  add(span: FailedSpan, skeleton: SpanSkeleton, tree: SpanTree): void {
    const { recorded, linkedSpan } = span.failure;
    if (!recorded && tree.failedParents.has(span.spanId)) return;
    if (linkedSpan !== '' && this.#recordedAt.get(linkedSpan.slice(32), linkedSpan.slice(0, 32))) {
      return;
    }
    if (recorded) this.#removeLinked.run(span.traceId + span.spanId);
    const { route, pending } = localRoute(skeleton, tree);
    const groupId = this.#groupId(
      span.service,
      span.failure.type,
      route,
      this.#normalized(span.failure.message),
      JSON.stringify(span.failure.chainTypes),
    );
    const flags = (pending ? routePending : 0) | (recorded ? 0 : mayBeEcho);
    this.#insertEvent.run(groupId, span.endNs, span.traceId, span.spanId, flags, linkedSpan);
  }

  /**
   * Settles the pending failures of a trace that has grown: moves those whose route can now be
   * found among `tree`, and removes those a failed child now explains.
   */
  resolvePending(traceId: string, tree: SpanTree): void {
    for (const row of this.#pendingOf.all(traceId)) {
      const flags = Number(row.pending);
      const spanId = String(row.span_id);
      if (flags & mayBeEcho && tree.failedParents.has(spanId)) {
        this.#remove.run(Number(row.id));
        continue;
      }
      if (!(flags & routePending)) continue;
      const skeleton = tree.get(spanId);
      if (!skeleton) continue;
      const found: LocalRoute = localRoute(skeleton, tree);
      if (found.pending) continue;
      const groupId = this.#groupId(
        String(row.service),
        String(row.type),
        found.route,
        String(row.message),
        String(row.chain_types),
      );
      this.#resolve.run(groupId, flags & ~routePending, Number(row.id));
    }
  }

  // Messages repeat: normalize each once.
  #normalized(message: string): string {
    let normalized = this.#messages.get(message);
    if (normalized === undefined) {
      if (this.#messages.size >= 10_000) this.#messages.clear();
      normalized = normalizeMessage(message);
      this.#messages.set(message, normalized);
    }
    return normalized;
  }

  /** Forgets the known groups (after a rollback, which may have undone their insertion). */
  clear(): void {
    this.#known.clear();
  }

  #groupId(service: string, type: string, route: string, message: string, chain: string): number {
    const key = `${service}\u0000${type}\u0000${route}\u0000${message}`;
    const known = this.#known.get(key);
    if (known?.chain === chain) return known.id;
    const id = Number(this.#group.get(service, type, route, message, chain)!.id);
    if (this.#known.size >= 10_000) this.#known.clear();
    this.#known.set(key, { id, chain });
    return id;
  }
}
