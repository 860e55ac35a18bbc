import {
  type Context,
  context,
  ROOT_CONTEXT,
  type Span,
  type SpanOptions,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import type { OtlpSpanProcessorOptions } from '../../export/otlp-export-options.ts';
import { selfMetrics } from '../../export/test-support/self-metrics.ts';
import { type OtlpTraceSink, startOtlpTraceSink } from '../../test-support/otlp-trace-sink.ts';
import { ConsistentRatio } from '../consistent-ratio.ts';
import type { SamplingOptions } from '../sampling-options.ts';
import { TailSampler } from '../tail-sampler.ts';
import { TailSamplingSpanProcessor } from '../tail-sampling-span-processor.ts';
import { SeededIds } from './seeded-ids.ts';

const w3c = new W3CTraceContextPropagator();

/**
 * A real tracer provider with the tail sampler and processor, exporting to a
 * real OTLP sink on loopback, with a meter provider to read the counters.
 */
export async function startTailHarness(
  sampling: SamplingOptions,
  options: { seed?: number } & OtlpSpanProcessorOptions = {},
) {
  const { seed = 1, ...exportOptions } = options;
  const sink: OtlpTraceSink = await startOtlpTraceSink();
  const metrics = selfMetrics();
  const processor = new TailSamplingSpanProcessor({
    url: `${sink.url}/v1/traces`,
    meterProvider: metrics.meterProvider,
    ...exportOptions,
    sampling,
  });
  const ratio = new ConsistentRatio(sampling.ratio);
  const provider = new TracerProvider({
    sampler: new TailSampler(ratio),
    idGenerator: new SeededIds(seed),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('checkout', '1.0.0');
  return {
    sink,
    processor,
    ratio,
    tracer,
    /** A span started under `parent`. */
    child(parent: Span, name: string, spanOptions?: SpanOptions): Span {
      return tracer.startSpan(name, spanOptions, trace.setSpan(ROOT_CONTEXT, parent));
    },
    /** A context whose span is remote: a request from another service. */
    remote(traceId: string, spanId = 'b7ad6b7169203331', sampled = false): Context {
      return trace.setSpanContext(ROOT_CONTEXT, {
        traceId,
        spanId,
        traceFlags: sampled ? 1 : 0,
        isRemote: true,
      });
    },
    /** The `traceparent` a call made inside `span` sends on. */
    traceparent(span: Span): string {
      const carrier: Record<string, string> = {};
      w3c.inject(trace.setSpan(context.active(), span), carrier, {
        set: (c, key, value) => {
          c[key] = value;
        },
      });
      return carrier.traceparent!;
    },
    /** The spans the sink received for `traceId`, by name. */
    received(traceId: string): string[] {
      return sink.spans
        .filter((span) => span.traceId === traceId)
        .map((span) => span.name)
        .sort();
    },
    /** `otelkit.sampling.traces` by decision, and the `otel.sdk.*` accounting. */
    async counts() {
      const accounting = await metrics.collect();
      const decisions: Record<string, number> = {};
      for (const point of accounting.points) {
        if (point.name !== 'otelkit.sampling.traces') continue;
        decisions[String(point.attributes['otelkit.sampling.decision'])] = point.value as number;
      }
      return { decisions, accounting };
    },
    async close(): Promise<void> {
      await processor.shutdown().catch(() => {});
      await sink.close();
    },
  };
}

export type TailHarness = Awaited<ReturnType<typeof startTailHarness>>;
