import type { Context } from '@opentelemetry/api';

/** Redirects answered but not yet followed; only a pathological app keeps many. */
const MAX_PENDING = 128;

interface PendingResend {
  readonly parent: Context;
  readonly count: number;
}

/**
 * Counts the requests a client sends again by itself: `fetch` follows a
 * redirect with a new request to the `Location`, made in the same context as
 * the first. A request to a pending redirect's URL from that same context is
 * its resend, and gets `http.request.resend_count`.
 */
export class ResendTracker {
  private readonly pending = new Map<string, PendingResend>();

  /** Whether any redirect waits: the common case skips the lookup. */
  get waiting(): boolean {
    return this.pending.size > 0;
  }

  /** Notes a redirect answer of the request to `url` (its own resend count `count`). */
  redirected(url: string, location: string, parent: Context, count: number): void {
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return;
    }
    next.hash = '';
    if (this.pending.size >= MAX_PENDING) {
      // The oldest entry goes: Maps iterate in insertion order.
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
    }
    this.pending.set(next.href, { parent, count: count + 1 });
  }

  /** The resend count of a request to `url` started in `parent`, or 0 for a first attempt. */
  take(url: string, parent: Context): number {
    const pending = this.pending.get(url);
    if (pending === undefined || pending.parent !== parent) return 0;
    this.pending.delete(url);
    return pending.count;
  }
}
