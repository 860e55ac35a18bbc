/** What `SpanDeadlines` ends: anything with a deadline and an idempotent `end()`. */
export interface Expiring {
  /** The monotonic time (`performance.now()`) by which it must have ended. */
  readonly deadline: number;
  end(): void;
}

/**
 * The spans of one installation still open, each with its deadline, and one
 * timer for the earliest: a request whose response nobody reads ends no
 * later than its deadline, without a timer of its own per request.
 */
export class SpanDeadlines<T extends Expiring> {
  private readonly open = new Set<T>();
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;

  /** Tracks `item` until `delete`; arms the timer if it is now the earliest deadline. */
  add(item: T): void {
    this.open.add(item);
    if (item.deadline < this.armedFor) this.arm(item.deadline);
  }

  delete(item: T): void {
    this.open.delete(item);
  }

  /** Ends every item still open and stops the timer. */
  endAll(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    for (const item of [...this.open]) item.end();
    this.open.clear();
  }

  private arm(deadline: number): void {
    clearTimeout(this.timer);
    this.armedFor = deadline;
    // Timers may fire a little early: `expire` checks the clock and re-arms.
    this.timer = setTimeout(expire, Math.max(0, deadline - performance.now()), this);
    this.timer.unref();
  }

  /** Ends the items whose deadline has passed and re-arms for the next one. */
  expire(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const item of [...this.open]) {
      if (item.deadline <= now) {
        this.open.delete(item);
        item.end();
      } else if (item.deadline < next) {
        next = item.deadline;
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
  }
}

function expire(deadlines: SpanDeadlines<Expiring>): void {
  deadlines.expire();
}
