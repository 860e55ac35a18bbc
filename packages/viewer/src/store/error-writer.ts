import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ExceptionSummary } from '../records.ts';
import { type LocalRoute, localRoute } from './local-route.ts';
import { normalizeMessage } from './normalize-message.ts';
import type { SpanSkeleton } from './span-skeleton.ts';

/** A failed span to record. */
export interface FailedSpan {
  traceId: string;
  spanId: string;
  service: string;
  endNs: bigint;
  exception: ExceptionSummary;
}

/**
 * Records failed spans in `error_events`, each in its group of `error_groups` (service,
 * exception type, route and normalized message). An error whose route waits for its local root
 * is marked pending and moved to its group when the root arrives.
 */
export class ErrorWriter {
  readonly #group: StatementSync;
  readonly #insertEvent: StatementSync;
  readonly #pendingOf: StatementSync;
  readonly #resolve: StatementSync;

  constructor(db: DatabaseSync) {
    this.#group = db.prepare(`INSERT INTO error_groups (service, type, route, message, chain_types)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT (service, type, route, message)
      DO UPDATE SET chain_types = excluded.chain_types RETURNING id`);
    this.#insertEvent = db.prepare(`INSERT INTO error_events (group_id, time_ns, trace_id, span_id,
      pending) VALUES (?, ?, ?, ?, ?)`);
    this.#pendingOf = db.prepare(`SELECT e.id, e.span_id, g.service, g.type, g.message,
      g.chain_types FROM error_events e JOIN error_groups g ON g.id = e.group_id
      WHERE e.trace_id = ? AND e.pending = 1`);
    this.#resolve = db.prepare('UPDATE error_events SET group_id = ?, pending = 0 WHERE id = ?');
  }

  /** Records one failed span, its route found among `byId` (the trace's spans so far). */
  add(span: FailedSpan, skeleton: SpanSkeleton, byId: Map<string, SpanSkeleton>): void {
    const { route, pending } = localRoute(skeleton, byId);
    const groupId = this.#groupId(
      span.service,
      span.exception.type,
      route,
      normalizeMessage(span.exception.message),
      JSON.stringify(span.exception.chainTypes),
    );
    this.#insertEvent.run(groupId, span.endNs, span.traceId, span.spanId, pending ? 1 : 0);
  }

  /** Moves the pending errors of a trace whose route can now be found among `byId`. */
  resolvePending(traceId: string, byId: Map<string, SpanSkeleton>): void {
    for (const row of this.#pendingOf.all(traceId)) {
      const skeleton = byId.get(String(row.span_id));
      if (!skeleton) continue;
      const found: LocalRoute = localRoute(skeleton, byId);
      if (found.pending) continue;
      const groupId = this.#groupId(
        String(row.service),
        String(row.type),
        found.route,
        String(row.message),
        String(row.chain_types),
      );
      this.#resolve.run(groupId, Number(row.id));
    }
  }

  #groupId(service: string, type: string, route: string, message: string, chain: string): number {
    return Number(this.#group.get(service, type, route, message, chain)!.id);
  }
}
