// Typed instruments declared at module level, before setup(): they start
// recording as soon as a meter provider is registered, and their attributes are
// checked by the compiler.
// expect-output: orders.placed = 3
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { counter, histogram } from 'otelkit';
import { setup } from 'otelkit/setup';

type OrderAttributes = { 'order.channel': 'web' | 'api' };

// Module level, as in a real app: created before any provider exists.
const ordersPlaced = counter<OrderAttributes>('orders.placed', { unit: '{order}' });
const orderValue = histogram<OrderAttributes>('orders.value', {
  unit: 'EUR',
  advice: { explicitBucketBoundaries: [10, 50, 100, 500] },
});

const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const telemetry = setup({
  service: { name: 'metrics-example' },
  exporter: 'none',
  metrics: {
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })],
  },
});

ordersPlaced.add(1, { 'order.channel': 'web' });
ordersPlaced.add(2, { 'order.channel': 'api' });
orderValue.record(42.5, { 'order.channel': 'web' });
// ordersPlaced.add(1, { channel: 'web' }); // does not compile: not an OrderAttributes

await telemetry.forceFlush();
const placed = exporter
  .getMetrics()
  .flatMap((resource) => resource.scopeMetrics)
  .flatMap((scope) => scope.metrics)
  .filter((metric) => metric.descriptor.name === 'orders.placed')
  .at(-1);
const total = placed?.dataPoints.reduce((sum, point) => sum + (point.value as number), 0);
console.log(`orders.placed = ${total}`);

await telemetry.shutdown();
