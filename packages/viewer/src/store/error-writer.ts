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
  // Group ids by key, with the chain last written: most errors repeat a known group.
  readonly #known = new Map<string, { id: number; chain: string }>();
  readonly #messages = new Map<string, string>();

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
      this.#normalized(span.exception.message),
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
