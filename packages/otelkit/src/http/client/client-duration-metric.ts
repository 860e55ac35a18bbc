import { type Attributes, type Histogram, type MeterProvider, metrics } from '@opentelemetry/api';
import { METRIC_HTTP_CLIENT_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';
import { VERSION } from '../../internal/version.ts';
import { HTTP_DURATION_BUCKETS } from '../duration-metric.ts';

let provider: MeterProvider | undefined;
let histogram: Histogram | undefined;

/**
 * Records one `http.client.request.duration` value (seconds), on a histogram
 * of the meter provider registered now: created again whenever another one is
 * registered, because the metrics API has no proxy to follow it.
 */
export function recordClientDuration(seconds: number, attributes: Attributes): void {
  const current = metrics.getMeterProvider();
  if (current !== provider || histogram === undefined) {
    provider = current;
    histogram = current
      .getMeter('otelkit', VERSION)
      .createHistogram(METRIC_HTTP_CLIENT_REQUEST_DURATION, {
        description: 'Duration of HTTP client requests.',
        unit: 's',
        advice: { explicitBucketBoundaries: [...HTTP_DURATION_BUCKETS] },
      });
  }
  histogram.record(seconds, attributes);
}
