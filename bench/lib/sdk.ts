// The OpenTelemetry SDK as \`setup()\` registers it in a production app: spans go
// through otelkit's OtlpSpanProcessor, encoded as they end and sent over
// OTLP/HTTP to a sink in another process that counts them; metrics to a reader
// that is never collected (the processor's self-metrics included). Shared by
// the in-process benchmarks.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { AlwaysOnSampler, ParentBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { ContextAttributesSampler, OtlpSpanProcessor } from 'otelkit/setup';
import { type SpanSink, startSpanSink } from '../export/sink-process.ts';
import { expectDelivered } from './delivery.ts';

/**
 * Operations between two flushes of the processor inside the measured time:
 * about half a request's worth of encoded spans, far under the processor's
 * 8 MiB bound, so that a synchronous loop measures spans being exported, never
 * spans being dropped.
 */
export const FLUSH_EVERY = 4096;

/** A meter provider's reader that is never collected. */
export class IdleReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** The registered SDK of an in-process benchmark. */
export interface BenchSdk {
  /** Exports every span the processor holds, and waits until the sink has them. */
  flush(): Promise<void>;
  /** \`compare()\` options that flush every {@link FLUSH_EVERY} operations, inside the measured time. */
  readonly exportEvery: { readonly flushEvery: number; readonly flush: () => Promise<void> };
  /** Flushes, then throws unless exactly \`expected\` spans reached the sink. */
  expectExported(expected: number): Promise<void>;
  /** Shuts the providers and the sink down. */
  shutdown(): Promise<void>;
}

/**
 * Registers the SDK globally, exporting to a sink process of its own. With
 * \`contextAttributes\`, otelkit's context-attributes sampler decides first, as
 * \`setup()\` installs it.
 */
export async function registerSdk(
  options: { contextAttributes?: boolean } = {},
): Promise<BenchSdk> {
  const sink: SpanSink = await startSpanSink();
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  const tracerProvider = new TracerProvider({
    spanProcessors: [new OtlpSpanProcessor({ url: sink.url, meterProvider })],
    ...(options.contextAttributes
      ? {
          sampler: new ContextAttributesSampler(
            new ParentBasedSampler({ root: new AlwaysOnSampler() }),
          ),
        }
      : {}),
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  const flush = () => tracerProvider.forceFlush();
  return {
    flush,
    exportEvery: { flushEvery: FLUSH_EVERY, flush },
    async expectExported(expected) {
      await flush();
      expectDelivered('spans exported', expected, (await sink.stats()).spans);
    },
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      sink.stop();
    },
  };
}
