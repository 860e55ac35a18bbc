// The real OpenTelemetry SDK as a production app registers it: spans go
// through a batch processor to an exporter that drops them, metrics to a reader
// that is never collected. Shared by the in-process benchmarks.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ContextAttributesSpanProcessor } from 'otelkit/setup';

class DropExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
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

/**
 * Registers the SDK globally; returns a function that shuts it down. With
 * `contextAttributes`, otelkit's context-attributes processor runs first, as
 * `setup()` installs it.
 */
export function registerSdk(options: { contextAttributes?: boolean } = {}): () => Promise<void> {
  const spanProcessors: SpanProcessor[] = [
    new BatchSpanProcessor({ exporter: new DropExporter() }),
  ];
  if (options.contextAttributes) spanProcessors.unshift(new ContextAttributesSpanProcessor());
  const tracerProvider = new TracerProvider({ spanProcessors });
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return async () => {
    await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
  };
}
