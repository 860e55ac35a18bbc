/**
 * Histogram counts over explicit bounds: bucket `i` holds values in `(bounds[i-1], bounds[i]]`,
 * the first everything up to `bounds[0]`, the last everything above the last bound.
 */
export interface BucketHistogram {
  bounds: number[];
  counts: number[];
  count: number;
  /** The smallest and largest value recorded, when the producer sent them. */
  min?: number;
  max?: number;
}

type PointValue = Record<string, unknown>;

const toNumber = (value: unknown) => (typeof value === 'number' ? value : Number(value));

// A point's `min` and `max` (optional fields), when finite.
function extremes(value: PointValue): Pick<BucketHistogram, 'min' | 'max'> {
  const result: Pick<BucketHistogram, 'min' | 'max'> = {};
  if (typeof value.min === 'number' && Number.isFinite(value.min)) result.min = value.min;
  if (typeof value.max === 'number' && Number.isFinite(value.max)) result.max = value.max;
  return result;
}

/** The buckets of a stored `histogram` or `exponentialHistogram` point. */
export function parseBuckets(type: string, value: PointValue): BucketHistogram {
  if (type === 'exponentialHistogram') return exponentialBuckets(value);
  const counts = ((value.bucketCounts as unknown[]) ?? []).map(toNumber);
  const bounds = ((value.explicitBounds as unknown[]) ?? []).map(toNumber);
  return { bounds, counts, count: toNumber(value.count ?? 0), ...extremes(value) };
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
  return { bounds, counts, count: toNumber(value.count ?? 0), ...extremes(value) };
}

/**
 * `later - earlier` for two cumulative points of one series; undefined after a reset. The later
 * point's `min` and `max` cover everything since the series started, so the difference too.
 */
export function subtractBuckets(
  later: BucketHistogram,
  earlier: BucketHistogram,
): BucketHistogram | undefined {
  if (!sameBounds(later, earlier) || later.count < earlier.count) return undefined;
  const counts = later.counts.map((n, i) => n - (earlier.counts[i] ?? 0));
  if (counts.some((n) => n < 0)) return undefined;
  return { ...later, counts, count: later.count - earlier.count };
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
  const sum: BucketHistogram = { bounds: a.bounds, counts, count: a.count + b.count };
  if (a.min !== undefined && b.min !== undefined) sum.min = Math.min(a.min, b.min);
  if (a.max !== undefined && b.max !== undefined) sum.max = Math.max(a.max, b.max);
  return sum;
}

/**
 * The `q` quantile (0–1), interpolating linearly inside the bucket it falls in (as Prometheus'
 * `histogram_quantile` does). With the histogram's `min` and `max`, each bucket is narrowed to
 * them (the one above the last bound ends at `max`) and no quantile falls outside them: a p99
 * is never slower than the slowest value recorded. Without them, values above the last bound
 * read as the last bound.
 */
export function bucketQuantile(histogram: BucketHistogram, q: number): number | undefined {
  const total = histogram.counts.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  const { bounds, counts, min, max } = histogram;
  const clamp = (value: number) =>
    Math.min(max ?? Number.POSITIVE_INFINITY, Math.max(min ?? Number.NEGATIVE_INFINITY, value));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (n > 0 && seen + n >= rank) {
      const lastBound = bounds.at(-1) ?? 0;
      if (i >= bounds.length && max === undefined) return clamp(lastBound);
      // The bucket's range, narrowed to the values recorded.
      const upper = Math.min(
        i >= bounds.length ? max! : bounds[i]!,
        max ?? Number.POSITIVE_INFINITY,
      );
      const from = i === 0 ? Math.min(0, upper) : bounds[i - 1]!;
      const lower = min !== undefined && min < upper ? Math.max(from, min) : from;
      return clamp(lower + ((upper - lower) * (rank - seen)) / n);
    }
    seen += n;
  }
  return clamp(bounds.at(-1) ?? 0);
}

function sameBounds(a: BucketHistogram, b: BucketHistogram): boolean {
  return a.bounds.length === b.bounds.length && a.bounds.every((bound, i) => bound === b.bounds[i]);
}
