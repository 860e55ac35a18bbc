import type { Attributes } from '@opentelemetry/api';
import { LazyInstrument } from '../metrics/lazy-instrument.ts';

/** The bucket boundaries the database conventions advise for `db.client.operation.duration` (seconds). */
export const DB_DURATION_BUCKETS: readonly number[] = [
  0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10,
];

const histogram = new LazyInstrument('histogram', 'db.client.operation.duration', 'otelkit', {
  description: 'Duration of database client operations.',
  unit: 's',
  advice: { explicitBucketBoundaries: [...DB_DURATION_BUCKETS] },
});

/** Records one `db.client.operation.duration` value (seconds) on the meter provider registered now. */
export function recordOperationDuration(seconds: number, attributes: Attributes): void {
  histogram.record(seconds, attributes);
}
