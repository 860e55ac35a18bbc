/**
 * A latency histogram with logarithmic buckets, eight per doubling: any quantile it answers is
 * within 4.5% of the true value, and histograms of any two minutes merge by adding counts.
 */
export class LatencyHistogram {
  readonly #counts = new Map<number, number>();
  #total = 0;

  /** Reads the stored form (`[bucket, count, bucket, count, …]`). */
  static parse(text: string): LatencyHistogram {
    const histogram = new LatencyHistogram();
    const pairs = JSON.parse(text) as number[];
    for (let i = 0; i + 1 < pairs.length; i += 2) histogram.#addCount(pairs[i]!, pairs[i + 1]!);
    return histogram;
  }

  get total(): number {
    return this.#total;
  }

  /** Counts one duration in milliseconds. */
  add(ms: number): void {
    this.#addCount(bucketOf(ms), 1);
  }

  /** Adds the counts of `other`. */
  merge(other: LatencyHistogram): void {
    for (const [bucket, count] of other.#counts) this.#addCount(bucket, count);
  }

  /** The `q` quantile (0–1) in milliseconds; undefined when empty. */
  quantile(q: number): number | undefined {
    if (this.#total === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.#total));
    let seen = 0;
    for (const bucket of [...this.#counts.keys()].sort((a, b) => a - b)) {
      seen += this.#counts.get(bucket)!;
      if (seen >= rank) return 2 ** ((bucket + 0.5) / 8);
    }
    return undefined;
  }

  /** The stored form. */
  toJSON(): number[] {
    return [...this.#counts].flat();
  }

  #addCount(bucket: number, count: number): void {
    this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + count);
    this.#total += count;
  }
}

// Below a microsecond every duration shares one bucket.
const smallest = Math.floor(Math.log2(0.001) * 8);

function bucketOf(ms: number): number {
  if (!(ms > 0.001)) return smallest;
  return Math.floor(Math.log2(ms) * 8);
}
