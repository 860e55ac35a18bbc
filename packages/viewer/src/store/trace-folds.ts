import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SpanRecord } from '../records.ts';
import { EdgeWriter } from './edge-writer.ts';
import { ErrorWriter } from './error-writer.ts';
import { RedWriter } from './red-writer.ts';
import { minuteOf, type SpanTree, skeletonOf } from './span-skeleton.ts';

const statusError = 2;
const server = 2;
const samplingFlushMs = 60_000;

/**
 * What the pages aggregate, folded in as a batch of a trace is stored: calls between services
 * and to databases (the service map), server requests (the RED charts), failures (the error
 * list), and the services that sample their traces.
 */
export class TraceFolds {
  readonly #edges: EdgeWriter;
  readonly #red: RedWriter;
  readonly #errors: ErrorWriter;
  readonly #samplingUpsert: StatementSync;
  // When each sampling service was last written, so that it is written about once a minute.
  readonly #samplers = new Map<string, number>();

  constructor(db: DatabaseSync) {
    this.#edges = new EdgeWriter(db);
    this.#red = new RedWriter(db);
    this.#errors = new ErrorWriter(db);
    this.#samplingUpsert = db.prepare(`INSERT INTO sampling_services (service, last_ns)
      VALUES (?, ?) ON CONFLICT (service) DO UPDATE SET last_ns = max(last_ns, excluded.last_ns)`);
  }

  /**
   * Folds `spans`, new spans of one trace, joined with its earlier spans in `tree`. The span
   * tree is extended only when needed: a new trace from one service has no calls between
   * services, and most have no errors. Returns whether `tree` now holds `spans`.
   */
  fold(spans: readonly SpanRecord[], tree: SpanTree): boolean {
    const traceId = spans[0]!.traceId;
    const existing = tree.size > 0;
    let joined = false;
    const join = () => {
      if (!joined) {
        joined = true;
        for (const child of tree.add(spans.map(skeletonOf))) {
          // An earlier span whose parent arrives now: a call between services, if it is one.
          const parent = tree.get(child.parentSpanId)!;
          if (parent.service !== child.service) {
            this.#edges.add(child.minute, parent.service, child.service, child.error);
          }
        }
      }
      return tree;
    };
    const service = spans[0]!.resource.service;
    const mixed = existing || spans.some((s) => s.resource.service !== service);
    for (const span of spans) {
      const error = span.statusCode === statusError;
      const minute = minuteOf(span.startNs);
      if (mixed && span.parentSpanId) {
        const parent = join().get(span.parentSpanId);
        if (parent && parent.service !== span.resource.service) {
          this.#edges.add(minute, parent.service, span.resource.service, error);
        }
      }
      if (span.database) this.#edges.add(minute, span.resource.service, span.database, error, true);
      if (span.kind === server) {
        const durationMs = Number(span.endNs - span.startNs) / 1e6;
        this.#red.add(span.resource.service, span.route || span.name, minute, durationMs, error);
      }
      if (span.failure) {
        const failed = {
          traceId,
          spanId: span.spanId,
          service: span.resource.service,
          endNs: span.endNs,
          failure: span.failure,
        };
        this.#errors.add(failed, join().get(span.spanId)!, tree);
      }
      if (span.samplingReason) this.#sampling(span.resource.service, span.endNs);
    }
    if (existing) this.#errors.resolvePending(traceId, join());
    return joined;
  }

  #sampling(service: string, endNs: bigint): void {
    const now = Date.now();
    if (now - (this.#samplers.get(service) ?? 0) < samplingFlushMs) return;
    this.#samplers.set(service, now);
    this.#samplingUpsert.run(service, endNs);
  }

  /** Writes the counts gathered during the transaction. */
  flush(): void {
    this.#edges.flush();
    this.#red.flush();
  }

  /** Forgets what a rolled-back transaction gathered. */
  clear(): void {
    this.#edges.clear();
    this.#red.clear();
    this.#errors.clear();
    this.#samplers.clear();
  }
}
