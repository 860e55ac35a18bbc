/**
 * Histogram counts over explicit bounds: bucket `i` holds values in `(bounds[i-1], bounds[i]]`,
 * the first everything up to `bounds[0]`, the last everything above the last bound.
 */
export interface BucketHistogram {
  bounds: number[];
  counts: number[];
  count: number;
}

type PointValue = Record<string, unknown>;

const toNumber = (value: unknown) => (typeof value === 'number' ? value : Number(value));

/** The buckets of a stored `histogram` or `exponentialHistogram` point. */
export function parseBuckets(type: string, value: PointValue): BucketHistogram {
  if (type === 'exponentialHistogram') return exponentialBuckets(value);
  const counts = ((value.bucketCounts as unknown[]) ?? []).map(toNumber);
  const bounds = ((value.explicitBounds as unknown[]) ?? []).map(toNumber);
  return { bounds, counts, count: toNumber(value.count ?? 0) };
}

// Positive bucket k holds values in (base^(offset+k), base^(offset+k+1)] with
// base = 2^(2^-scale); the zero bucket (and any negative values) goes first.
function exponentialBuckets(value: PointValue): BucketHistogram {
  const base = 2 ** (2 ** -toNumber(value.scale ?? 0));
  const positive = (value.positive ?? {}) as { offset?: number; bucketCounts?: unknown[] };
  const negative = (value.negative ?? {}) as { bucketCounts?: unknown[] };
  const below = (negative.bucketCounts ?? []).map(toNumber).reduce((a, b) => a + b, 0);
  const offset = positive.offset ?? 0;
  const positiveCounts = (positive.bucketCounts ?? []).map(toNumber);
  const bounds = [0, base ** offset, ...positiveCounts.map((_, k) => base ** (offset + k + 1))];
  const counts = [below + toNumber(value.zeroCount ?? 0), 0, ...positiveCounts, 0];
  return { bounds, counts, count: toNumber(value.count ?? 0) };
}

/** `later - earlier` for two cumulative points of one series; undefined after a reset. */
export function subtractBuckets(
  later: BucketHistogram,
  earlier: BucketHistogram,
): BucketHistogram | undefined {
  if (!sameBounds(later, earlier) || later.count < earlier.count) return undefined;
  const counts = later.counts.map((n, i) => n - (earlier.counts[i] ?? 0));
  if (counts.some((n) => n < 0)) return undefined;
  return { bounds: later.bounds, counts, count: later.count - earlier.count };
}

/** The sum of two histograms; `b` is re-bucketed onto the bounds of `a` when they differ. */
export function addBuckets(a: BucketHistogram, b: BucketHistogram): BucketHistogram {
  const counts = [...a.counts];
  if (sameBounds(a, b)) {
    b.counts.forEach((n, i) => {
      counts[i] = (counts[i] ?? 0) + n;
    });
  } else {
    b.counts.forEach((n, i) => {
      const upper = i < b.bounds.length ? b.bounds[i]! : Number.POSITIVE_INFINITY;
      const target = a.bounds.findIndex((bound) => upper <= bound);
      const index = target === -1 ? a.bounds.length : target;
      counts[index] = (counts[index] ?? 0) + n;
    });
  }
  return { bounds: a.bounds, counts, count: a.count + b.count };
}

/**
 * The `q` quantile (0–1), interpolating linearly inside the bucket it falls in (as Prometheus'
 * `histogram_quantile` does); values above the last bound read as the last bound.
 */
export function bucketQuantile(histogram: BucketHistogram, q: number): number | undefined {
  const total = histogram.counts.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  const { bounds, counts } = histogram;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (n > 0 && seen + n >= rank) {
      if (i >= bounds.length) return bounds.at(-1) ?? 0;
      const upper = bounds[i]!;
      const lower = i === 0 ? Math.min(0, upper) : bounds[i - 1]!;
      return lower + ((upper - lower) * (rank - seen)) / n;
    }
    seen += n;
  }
  return bounds.at(-1) ?? 0;
}

function sameBounds(a: BucketHistogram, b: BucketHistogram): boolean {
  return a.bounds.length === b.bounds.length && a.bounds.every((bound, i) => bound === b.bounds[i]);
}
