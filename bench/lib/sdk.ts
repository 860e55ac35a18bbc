// The real OpenTelemetry SDK as a production app registers it: spans go
// through a batch processor to an exporter that counts and discards them,
// metrics to a reader that is never collected. Shared by the in-process benchmarks.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ContextAttributesSampler } from 'otelkit/setup';
import { expectDelivered } from './delivery.ts';

/**
 * Operations between two flushes of the batch processor: under its queue of
 * 2,048 spans, so that a synchronous loop exports every span instead of
 * measuring the queue dropping them.
 */
export const FLUSH_EVERY = 512;

class CountingExporter implements SpanExporter {
  spans = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.spans += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

class IdleReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** The registered SDK of an in-process benchmark. */
export interface BenchSdk {
  /** Exports every span the batch processor holds. */
  flush(): Promise<void>;
  /** `compare()` options that flush every {@link FLUSH_EVERY} operations, inside the measured time. */
  readonly exportEvery: { readonly flushEvery: number; readonly flush: () => Promise<void> };
  /** Flushes, then throws unless exactly `expected` spans reached the exporter. */
  expectExported(expected: number): Promise<void>;
  /** Shuts the providers down. */
  shutdown(): Promise<void>;
}

/**
 * Registers the SDK globally. With `contextAttributes`, otelkit's
 * context-attributes sampler decides first, as `setup()` installs it.
 */
export function registerSdk(options: { contextAttributes?: boolean } = {}): BenchSdk {
  const exporter = new CountingExporter();
  const spanProcessors: SpanProcessor[] = [new BatchSpanProcessor({ exporter })];
  const tracerProvider = new TracerProvider({
    spanProcessors,
    ...(options.contextAttributes
      ? {
          sampler: new ContextAttributesSampler(
            new ParentBasedSampler({ root: new AlwaysOnSampler() }),
          ),
        }
      : {}),
  });
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  const flush = () => tracerProvider.forceFlush();
  return {
    flush,
    exportEvery: { flushEvery: FLUSH_EVERY, flush },
    async expectExported(expected) {
      await flush();
      expectDelivered('spans exported', expected, exporter.spans);
    },
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
