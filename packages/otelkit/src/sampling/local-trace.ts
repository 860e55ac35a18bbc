import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Scope } from '../export/origin-encoder.ts';

/** Why a trace is kept; its local root carries it as `otelkit.sampling.reason`. */
export type SamplingReason = 'error' | 'slow' | 'sla' | 'ratio';

/**
 * The part of a trace that lives in this process: a local root (a span
 * whose parent is remote, absent, or not ours) and the spans started under
 * it. Every span points at its local trace from the moment it starts, so a
 * span that ends after the decision, even one started after the root ended,
 * still finds the decision here; nothing keyed by trace id is freed under it.
 */
export class LocalTrace {
  /** The local root span. */
  readonly root: ReadableSpan;
  /** When the root started (`performance.now()`). */
  readonly startedAt: number;
  /** Undecided (`undefined`), kept (the reason) or dropped (`null`). */
  decision: SamplingReason | null | undefined = undefined;
  /** A span with the status `ERROR` ended so far. */
  error = false;
  /** A span with `sla.met = false` ended so far. */
  slaMiss = false;
  /** The spans ended and waiting for the decision, encoded back to back (`undefined` while none). */
  buffer: Buffer | undefined = undefined;
  /** Bytes of `buffer` in use. */
  used = 0;
  /** For each held span: its resource, its scope and where its bytes end in `buffer`. */
  held: (Resource | Scope | number)[] = [];
  /** When the first span was held (`performance.now()`). */
  since = 0;
  /** Neighbours in the buffers' list of undecided traces, oldest first. */
  older: LocalTrace | undefined = undefined;
  newer: LocalTrace | undefined = undefined;

  constructor(root: ReadableSpan, startedAt: number) {
    this.root = root;
    this.startedAt = startedAt;
  }

  /** Spans held. */
  get heldCount(): number {
    return this.held.length / 3;
  }
}
