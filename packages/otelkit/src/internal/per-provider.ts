import {
  type LoggerProvider,
  logs,
  type MeterProvider,
  metrics,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

/**
 * A value built from the global provider of a signal (a tracer, a histogram,
 * a logger), looked up on every call so that code loaded before `setup()`
 * still records, and rebuilt only when another provider is registered: a cache
 * hit costs one global read and one comparison.
 */
function perProvider<P, T>(current: () => P, build: (provider: P) => T): () => T {
  let provider: P | undefined;
  let value: T | undefined;
  return () => {
    const now = current();
    if (now !== provider || value === undefined) {
      value = build(now);
      provider = now;
    }
    return value;
  };
}

/** `build(provider)` for the global tracer provider, cached until it changes. */
export function perTracerProvider<T>(build: (provider: TracerProvider) => T): () => T {
  return perProvider(() => trace.getTracerProvider(), build);
}

/** `build(provider)` for the global meter provider, cached until it changes. */
export function perMeterProvider<T>(build: (provider: MeterProvider) => T): () => T {
  return perProvider(() => metrics.getMeterProvider(), build);
}

/** `build(provider)` for the global logger provider, cached until it changes. */
export function perLoggerProvider<T>(build: (provider: LoggerProvider) => T): () => T {
  return perProvider(() => logs.getLoggerProvider(), build);
}
