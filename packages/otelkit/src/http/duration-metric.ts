import type { Attributes } from '@opentelemetry/api';
import { METRIC_HTTP_SERVER_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';
import { perMeterProvider } from '../internal/per-provider.ts';
import { VERSION } from '../internal/version.ts';

/** The bucket boundaries (seconds) the semantic conventions advise for HTTP durations. */
export const HTTP_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/**
 * `http.server.request.duration` (seconds), created from the meter provider
 * registered now, and again whenever another one is registered, because the
 * metrics API has no proxy to follow it.
 */
const serverDuration = perMeterProvider((provider) =>
  provider.getMeter('otelkit', VERSION).createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...HTTP_DURATION_BUCKETS] },
  }),
);

/** Records one `http.server.request.duration` value (seconds). */
export function recordServerDuration(seconds: number, attributes: Attributes): void {
  serverDuration().record(seconds, attributes);
}
