import { HttpError } from './http-error.ts';

/**
 * The bytes of request bodies held in memory at once, decompressed, across all exports. A body
 * that would pass the budget is refused with 503 and `Retry-After`: a wave of decompression
 * bombs, each stopped at the body limit, then costs the budget rather than the body limit times
 * the requests read at once, and the process does not keep the memory they took.
 */
export class BodyBudget {
  readonly maxBytes: number;
  #held = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Bytes held now. */
  get held(): number {
    return this.#held;
  }

  /**
   * Takes `bytes` from the budget.
   * @throws {HttpError} 503 when they do not fit.
   */
  take(bytes: number): void {
    if (this.#held + bytes > this.maxBytes) {
      const mib = Math.round(this.maxBytes / 1024 / 1024);
      throw new HttpError(
        503,
        `the viewer holds ${mib} MiB of export bodies already; retry shortly`,
      );
    }
    this.#held += bytes;
  }

  /** Gives `bytes` back. */
  give(bytes: number): void {
    this.#held = Math.max(0, this.#held - bytes);
  }
}
