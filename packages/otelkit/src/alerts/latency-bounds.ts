import { HTTP_DURATION_BUCKETS } from '../http/duration-metric.ts';
import { SloFileError } from './slo-file-error.ts';

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

/**
 * Why `thresholdMs` cannot be a latency threshold (it is not a bucket bound:
 * Prometheus can only count the requests below one), as an error naming
 * `field`; `undefined` when it can.
 */
export function thresholdProblem(thresholdMs: unknown, field: string): SloFileError | undefined {
  if (typeof thresholdMs === 'number' && LATENCY_BOUNDS_MS.includes(thresholdMs)) return undefined;
  return new SloFileError(
    field,
    thresholdMs,
    `expected one of the bucket bounds of http.server.request.duration, in ms: ${LATENCY_BOUNDS_MS.join(', ')}`,
  );
}
