/**
 * Request bodies of the usual size, reused: a fresh megabyte costs page
 * faults on every request, a reused one costs nothing. Bodies much smaller
 * than the pooled size (a batch sealed by the timer) are allocated to fit,
 * so that many small waiting requests do not each pin a large buffer.
 */
export class BufferPool {
  readonly #size: number;
  readonly #keep: number;
  readonly #free: Buffer[] = [];

  /** @param size the capacity of pooled buffers; @param keep how many to keep at most. */
  constructor(size: number, keep: number) {
    this.#size = size;
    this.#keep = keep;
  }

  /** A buffer of at least `bytes`; pooled when `bytes` is near the pooled size. */
  take(bytes: number): Buffer {
    if (bytes > this.#size || bytes < this.#size / 4) return Buffer.allocUnsafeSlow(bytes);
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.#size);
  }

  /** Returns a buffer from `take()` once nothing reads it any more. */
  give(buffer: Buffer): void {
    if (buffer.length === this.#size && this.#free.length < this.#keep) this.#free.push(buffer);
  }
}
