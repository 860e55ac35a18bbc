import {
  context,
  type LoggerProvider,
  logs,
  type MeterProvider,
  metrics,
  propagation,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';

/** The three providers a process registers globally. */
export interface GlobalProviders {
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  readonly loggerProvider: LoggerProvider;
}

/**
 * Makes the providers global, with an AsyncLocalStorage context manager and
 * W3C trace-context + baggage propagation: what `setup()` and
 * `createTestTelemetry()` both install.
 */
export function registerGlobals({
  tracerProvider,
  meterProvider,
  loggerProvider,
}: GlobalProviders): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  logs.setGlobalLoggerProvider(loggerProvider);
}

/** Removes every global `registerGlobals` installed, so another registration can start clean. */
export function unregisterGlobals(): void {
  trace.disable();
  metrics.disable();
  logs.disable();
  propagation.disable();
  context.disable();
}
