import { describe, expect, it } from 'vitest';
import { addBuckets, bucketQuantile, parseBuckets, subtractBuckets } from './bucket-histogram.ts';

// Request durations in ms: bounds of the semantic conventions' buckets, scaled.
const bounds = [5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000];
const point = (counts: number[], extra: Record<string, unknown> = {}) => ({
  count: String(counts.reduce((a, b) => a + b, 0)),
  bucketCounts: counts.map(String),
  explicitBounds: bounds,
  ...extra,
});

describe('bucketQuantile', () => {
  it('never answers beyond the max recorded: no p99 of 1.75 s when nothing took over 1.2 s', () => {
    //                  5  10 25 50 75 100 250 500 750 1000 2500 5000 +
    const counts = [0, 0, 0, 40, 30, 10, 10, 5, 2, 1, 2, 0, 0];
    const unclamped = parseBuckets('histogram', point(counts));
    expect(bucketQuantile(unclamped, 0.99)).toBe(1750);
    const clamped = parseBuckets('histogram', point(counts, { min: 31, max: 1200 }));
    // Inside its bucket, narrowed to (1000, 1200].
    expect(bucketQuantile(clamped, 0.99)).toBe(1100);
    expect(bucketQuantile(clamped, 0.5)).toBeCloseTo(bucketQuantile(unclamped, 0.5)!);
  });

  it('reads the first bucket from min and the last from max', () => {
    const below = parseBuckets('histogram', point([10, ...Array(12).fill(0)], { min: 2, max: 4 }));
    expect(bucketQuantile(below, 0.5)).toBe(3);
    const above = parseBuckets(
      'histogram',
      point([...Array(12).fill(0), 10], { min: 6000, max: 8000 }),
    );
    expect(bucketQuantile(above, 0.5)).toBe(7000);
    // Without max, values above the last bound read as the last bound.
    const open = parseBuckets('histogram', point([...Array(12).fill(0), 10]));
    expect(bucketQuantile(open, 0.5)).toBe(5000);
  });

  it('keeps min and max through the deltas and sums of a chart step', () => {
    const earlier = parseBuckets('histogram', point([1, ...Array(12).fill(0)], { min: 1, max: 3 }));
    const later = parseBuckets(
      'histogram',
      point([1, 0, 0, 3, ...Array(9).fill(0)], { min: 1, max: 40 }),
    );
    const delta = subtractBuckets(later, earlier)!;
    expect([delta.count, delta.min, delta.max]).toEqual([3, 1, 40]);
    const other = parseBuckets(
      'histogram',
      point([0, 0, 1, ...Array(10).fill(0)], { min: 12, max: 12 }),
    );
    expect(addBuckets(delta, other)).toMatchObject({ count: 4, min: 1, max: 40 });
    // A side without them leaves the sum without them.
    expect(
      addBuckets(delta, parseBuckets('histogram', point([1, ...Array(12).fill(0)]))),
    ).not.toHaveProperty('max');
  });
});
