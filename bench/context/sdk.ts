// The real OpenTelemetry SDK as setup() registers it for traces: otelkit's
// context-attributes processor, then a batch processor whose exporter drops
// the spans. Shared by the context benchmarks.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ContextAttributesSpanProcessor } from 'otelkit';

class DropExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Registers the SDK globally; returns a function that shuts it down. */
export function registerSdk(): () => Promise<void> {
  const tracerProvider = new TracerProvider({
    spanProcessors: [
      new ContextAttributesSpanProcessor(),
      new BatchSpanProcessor({ exporter: new DropExporter() }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  return () => tracerProvider.shutdown();
}
