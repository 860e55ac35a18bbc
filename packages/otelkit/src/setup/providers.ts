import type { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { Resource } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { ContextAttributesSampler } from '../context/span-attributes.ts';
import { loadPackage } from '../internal/load-package.ts';
import { warn } from '../internal/warn.ts';
import { samplingCoverageWarning } from '../sampling/sampling-coverage.ts';
import { ExportFailures } from './export-failures.ts';
import { logRecordProcessors, metricExporters, spanProcessors } from './exporters.ts';
import { assertGrpcInstalled } from './otlp-exporter-packages.ts';
import { prometheusReaders } from './prometheus-exporter.ts';
import { registerGlobals, unregisterGlobals } from './register-globals.ts';
import { buildSampler } from './sampler.ts';
import type { ResolvedConfig, SetupOptions } from './setup-options.ts';

/** The three SDK providers `setup()` owns. */
export interface Providers {
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  readonly loggerProvider: LoggerProvider;
  /** Export failures of the exporters `setup()` installed, per signal. */
  readonly failures: {
    readonly traces: ExportFailures;
    readonly metrics: ExportFailures;
    readonly logs: ExportFailures;
  };
}

/**
 * Builds the providers: otelkit's OTLP/HTTP protobuf processors for spans and
 * log records, the official batch processors for every other exporter, a
 * periodic reader (and the Prometheus endpoint) for metrics.
 */
export function createProviders(
  options: SetupOptions,
  config: ResolvedConfig,
  resource: Resource,
): Providers {
  assertGrpcInstalled(config);
  const failures = {
    traces: new ExportFailures(),
    metrics: new ExportFailures(),
    logs: new ExportFailures(),
  };
  // First: otelkit's export processors count what they deliver and drop in its self-metrics.
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      ...metricExporters(config.metrics, options, failures.metrics).map(
        (exporter) =>
          new PeriodicExportingMetricReader({
            exporter,
            exportIntervalMillis: config.metrics.intervalMs,
            exportTimeoutMillis: config.metrics.timeoutMs,
          }),
      ),
      ...prometheusReaders(config.metrics),
      ...(options.metrics?.readers ?? []),
    ],
  });

  const partial = samplingCoverageWarning(config, options);
  if (partial !== undefined) warn(partial);
  const tracerProvider = new TracerProvider({
    resource,
    sampler: new ContextAttributesSampler(buildSampler(config)),
    spanProcessors: [
      ...spanProcessors(config, options, meterProvider, failures.traces),
      ...(options.traces?.processors ?? []),
    ],
  });

  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      ...logRecordProcessors(config, options, meterProvider, failures.logs),
      ...(options.logs?.processors ?? []),
    ],
  });
  return { tracerProvider, meterProvider, loggerProvider, failures };
}

/**
 * Makes the providers global (see `registerGlobals`) and enables the
 * instrumentations with them. Returns the undo.
 */
export function registerProviders(providers: Providers, options: SetupOptions): () => void {
  registerGlobals(providers);
  // Loaded only when instrumentations are given.
  const unloadInstrumentations = options.instrumentations?.length
    ? loadPackage<{ registerInstrumentations: typeof registerInstrumentations }>(
        '@opentelemetry/instrumentation',
      ).registerInstrumentations({
        instrumentations: options.instrumentations,
        tracerProvider: providers.tracerProvider,
        meterProvider: providers.meterProvider,
        loggerProvider: providers.loggerProvider,
      })
    : () => {};
  return () => {
    unloadInstrumentations();
    unregisterGlobals();
  };
}
