import { countOf } from '../internal/count-of.ts';
import { warn } from '../internal/warn.ts';

/** At most one summary per this long while problems go on. */
const SUMMARY_INTERVAL_MS = 60_000;

/** Who reports: what is exported, where. */
export interface ReporterTarget {
  /** `span` or `log record`. */
  readonly item: string;
  /** `spans` or `log records`. */
  readonly items: string;
  readonly url: string;
  readonly maxRetryTimeMs: number;
  /** The queue new records wait in during an outage, when there is one. */
  readonly maxQueueBytes?: number;
}

/**
 * Makes export failures loud but not noisy, through `warn` (the diag logger
 * and a process warning): the first problem is reported at once with the
 * endpoint, the reason and what happens next; while problems go on, at most
 * one summary a minute with counts; one line when export works again.
 */
export class FailureReporter {
  readonly #target: ReporterTarget;
  readonly #emit: (message: string) => void;
  readonly #now: () => number;
  #failingSince: number | undefined;
  #lastMessageAt = Number.NEGATIVE_INFINITY;
  /** Why the last attempt failed, and why records were last lost. */
  #lastFailure = '';
  #lastLoss = '';
  /** Since the last message. */
  #failedAttempts = 0;
  #lost = 0;
  /** Since the failures began. */
  #lostInOutage = 0;
  #ending = false;

  constructor(
    target: ReporterTarget,
    emit: (message: string) => void = warn,
    now: () => number = Date.now,
  ) {
    this.#target = target;
    this.#emit = emit;
    this.#now = now;
  }

  /**
   * Marks the process as ending (or going on after all): meanwhile nothing is
   * said, because the flush or shutdown that ends it reports what was not
   * delivered, once, and nothing will be retried past its deadline.
   */
  ending(ending: boolean): void {
    this.#ending = ending;
  }

  /** An attempt failed; `retrying` says whether the request will be tried again. */
  attemptFailed(reason: string, retrying: boolean, count: number): void {
    this.#failedAttempts++;
    this.#lastFailure = reason;
    if (this.#ending) return;
    const { items, url, maxRetryTimeMs, maxQueueBytes } = this.#target;
    if (this.#failingSince === undefined) {
      this.#failingSince = this.#now();
      const queue =
        maxQueueBytes === undefined
          ? ''
          : `; new ${items} queue meanwhile, up to ${maxQueueBytes} bytes`;
      const next = retrying
        ? `retrying for up to ${seconds(maxRetryTimeMs)} s${queue}`
        : `dropped them`;
      this.#say(`otelkit: exporting ${this.#count(count)} to ${url} failed: ${reason}; ${next}`);
      return;
    }
    this.#summarizeIfDue();
  }

  /** Records given up for good: `reason` says why (a failed request, a full queue, a partial rejection). */
  lost(count: number, reason: string): void {
    this.#lost += count;
    this.#lastLoss = reason;
    if (this.#failingSince !== undefined) this.#lostInOutage += count;
    if (this.#ending) return;
    if (this.#lastMessageAt === Number.NEGATIVE_INFINITY) {
      this.#say(`otelkit: dropped ${this.#count(count)} bound for ${this.#target.url}: ${reason}`);
      return;
    }
    this.#lastLoss = reason;
    this.#summarizeIfDue();
  }

  /** A request was delivered. */
  succeeded(): void {
    if (this.#failingSince === undefined || this.#ending) return;
    const { items, url } = this.#target;
    const outage = seconds(this.#now() - this.#failingSince);
    this.#say(
      `otelkit: exporting ${items} to ${url} works again after ${outage} s of failures; ` +
        `${this.#count(this.#lostInOutage)} lost meanwhile`,
    );
    this.#failingSince = undefined;
    this.#lostInOutage = 0;
  }

  #summarizeIfDue(): void {
    const elapsed = this.#now() - this.#lastMessageAt;
    if (elapsed < SUMMARY_INTERVAL_MS) return;
    const { items, url } = this.#target;
    const counts: string[] = [];
    if (this.#failedAttempts > 0) counts.push(countOf(this.#failedAttempts, 'failed attempts'));
    if (this.#lost > 0) counts.push(`${this.#count(this.#lost)} lost (${this.#lastLoss})`);
    const state =
      this.#failingSince === undefined
        ? `still drops ${items}`
        : `still failing (${this.#lastFailure})`;
    this.#say(
      `otelkit: exporting ${items} to ${url} ${state}: ${counts.join(', ')} in the last ${seconds(elapsed)} s`,
    );
  }

  #count(n: number): string {
    return `${n} ${n === 1 ? this.#target.item : this.#target.items}`;
  }

  #say(message: string): void {
    this.#lastMessageAt = this.#now();
    this.#failedAttempts = 0;
    this.#lost = 0;
    try {
      this.#emit(message);
    } catch {
      // A throwing warning listener must not break the export.
    }
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}
