import { HTTP_DURATION_BUCKETS } from '../http/duration-metric.ts';

/** The bucket bounds of `http.server.request.duration`, in milliseconds: the possible latency thresholds. */
export const LATENCY_BOUNDS_MS: readonly number[] = HTTP_DURATION_BUCKETS.map((seconds) =>
  Math.round(seconds * 1000),
);

/**
 * The `le` label of the bucket bound `thresholdMs`, written as the exporter
 * writes it (`String` of the bound in seconds: `0.25`, `1`, `2.5`).
 */
export function bucketLabel(thresholdMs: number): string {
  const index = LATENCY_BOUNDS_MS.indexOf(thresholdMs);
  if (index === -1) throw new RangeError(`${thresholdMs} ms is not a bucket bound`);
  return String(HTTP_DURATION_BUCKETS[index]);
}
