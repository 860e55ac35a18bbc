// One side of the outage soak, in its own process so that its RSS is its own:
// ends spans of 20 attributes at a steady rate against a sink that hangs,
// then refuses, and reports RSS samples and the self-metrics' counts.
//
//   node outage-arm.ts <otelkit|official> <sink url> <seconds>
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OtlpSpanProcessor } from '../../packages/otelkit/src/export/index.ts';
import { runPaced } from './paced-load.ts';

class ManualReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const [arm, url, secondsArg] = process.argv.slice(2) as [string, string, string];
const seconds = Number(secondsArg);
const SPANS_PER_SECOND = 2000;
const reader = new ManualReader();
const meterProvider = new MeterProvider({ readers: [reader] });
const processor =
  arm === 'otelkit'
    ? new OtlpSpanProcessor({ url, meterProvider })
    : new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url }),
        selfObsMeterProvider: meterProvider,
      });
const provider = new TracerProvider({ spanProcessors: [processor] });
const tracer = provider.getTracer('outage', '1.0.0');

const rss: { second: number; mb: number; heapMb: number; buffersMb: number }[] = [];
const started = performance.now();
const sampler = setInterval(() => {
  global.gc?.();
  const second = Math.round((performance.now() - started) / 1000);
  const memory = process.memoryUsage();
  rss.push({
    second,
    mb: memory.rss / 2 ** 20,
    heapMb: memory.heapTotal / 2 ** 20,
    buffersMb: memory.arrayBuffers / 2 ** 20,
  });
}, 5000);

const attributes = (i: number) => {
  const values: Record<string, string | number> = {};
  for (let a = 0; a < 20; a++)
    values[`app.attribute_${a}`] = a % 2 ? i * a : `value ${a} of span ${i}`;
  return values;
};
const load = await runPaced(
  (i) => tracer.startSpan(`operation ${i % 10}`, { attributes: attributes(i) }).end(),
  SPANS_PER_SECOND,
  seconds,
  async () => {},
);
clearInterval(sampler);
const shutdownStarted = performance.now();
const shutdownError = await provider.shutdown().then(
  () => undefined,
  (error: Error) => error.message,
);
const shutdownMs = performance.now() - shutdownStarted;

const { resourceMetrics } = await reader.collect();
const counts: Record<string, Record<string, number>> = {};
for (const scope of resourceMetrics.scopeMetrics) {
  for (const metric of scope.metrics) {
    if (!/processed|exported$/.test(metric.descriptor.name)) continue;
    counts[metric.descriptor.name] ??= {};
    const byError = counts[metric.descriptor.name]!;
    for (const point of metric.dataPoints) {
      const type = String(point.attributes['error.type'] ?? '');
      byError[type] = (byError[type] ?? 0) + (point.value as number);
    }
  }
}
console.log(JSON.stringify({ arm, ended: load.spans, rss, counts, shutdownMs, shutdownError }));
await meterProvider.shutdown();
