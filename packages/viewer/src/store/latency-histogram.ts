// Eight buckets per doubling from 1 µs to about 2^27 ms (37 hours); anything beyond goes to
// the last bucket.
const perDoubling = 8;
const first = Math.floor(Math.log2(0.001) * perDoubling);
const size = 27 * perDoubling - first;

/**
 * A latency histogram with logarithmic buckets, eight per doubling: any quantile it answers is
 * within 4.5% of the true value, and histograms of any two minutes merge by adding counts. It
 * is stored as `[bucket, count, bucket, count, …]` for the buckets in use.
 */
export class LatencyHistogram {
  readonly #counts = new Float64Array(size);
  #total = 0;

  /** Reads the stored form. */
  static parse(text: string): LatencyHistogram {
    const histogram = new LatencyHistogram();
    histogram.mergeStored(text);
    return histogram;
  }

  get total(): number {
    return this.#total;
  }

  /** Counts one duration in milliseconds. */
  add(ms: number): void {
    this.#counts[indexOf(ms)]!++;
    this.#total++;
  }

  /** Adds the counts of `other`. */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < size; i++) this.#counts[i]! += other.#counts[i]!;
    this.#total += other.#total;
  }

  /** Adds the counts of a stored histogram, without building one. */
  mergeStored(text: string): void {
    const pairs = JSON.parse(text) as number[];
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const index = Math.min(Math.max(pairs[i]! - first, 0), size - 1);
      this.#counts[index]! += pairs[i + 1]!;
      this.#total += pairs[i + 1]!;
    }
  }

  /** The `q` quantile (0–1) in milliseconds; undefined when empty. */
  quantile(q: number): number | undefined {
    if (this.#total === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.#total));
    let seen = 0;
    for (let i = 0; i < size; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return 2 ** ((i + first + 0.5) / perDoubling);
    }
    return undefined;
  }

  /** The stored form. */
  toJSON(): number[] {
    const pairs: number[] = [];
    for (let i = 0; i < size; i++) if (this.#counts[i]) pairs.push(i + first, this.#counts[i]!);
    return pairs;
  }
}

function indexOf(ms: number): number {
  if (!(ms > 0.001)) return 0;
  return Math.min(Math.floor(Math.log2(ms) * perDoubling) - first, size - 1);
}
