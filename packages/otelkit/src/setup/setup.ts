import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { DiagConsoleLogger, diag, logs, metrics, trace } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import { traceHttpClients } from '../http/client/trace-http-clients.ts';
import { LIVE_SETUP, type LiveFlush, liveSetup } from '../internal/live-setup.ts';
import { warn } from '../internal/warn.ts';
import { envString } from './env.ts';
import { createProviders, registerProviders } from './providers.ts';
import { unreachableReason } from './reachability.ts';
import type { GlobalProviders } from './register-globals.ts';
import { httpDestination, resolveConfig } from './resolve-config.ts';
import { buildResource } from './resource.ts';
import { type SignalTask, settleSignals } from './settle-signals.ts';
import type { SetupOptions, Signal, Telemetry } from './setup-options.ts';
import { handleShutdownSignals } from './shutdown-signals.ts';
import { validateOptions } from './validate-options.ts';

interface LiveSetup extends LiveFlush {
  readonly telemetry: Telemetry;
  readonly options: SetupOptions;
  /** Where the live setup was called from (a module, from the stack), for the warning. */
  readonly calledFrom: string | undefined;
  warned: boolean;
}

// Kept on globalThis so that two installed copies of otelkit still set up once.
const registry = globalThis as { [LIVE_SETUP]?: LiveSetup };

/**
 * Sets up OpenTelemetry for the process, once: tracer, meter and logger
 * providers exporting OTLP (or what the options and `OTEL_*` variables say),
 * registered globally. A second call while one is live returns the same handle.
 *
 * @example
 * const telemetry = setup({ service: { name: 'users-api', version: '1.4.0' } });
 * // ... the app runs ...
 * await telemetry.shutdown();
 * @throws {SetupError} when a code option is invalid.
 */
export function setup(options: SetupOptions = {}): Telemetry {
  const live = liveSetup<LiveSetup>();
  if (live) {
    if (!live.warned && !isDeepStrictEqual(live.options, options)) {
      live.warned = true;
      const first = live.calledFrom === undefined ? '' : ` (set up first by ${live.calledFrom}`;
      const service = `service "${live.telemetry.config.serviceName}"`;
      warn(
        `otelkit: setup() is already live${first === '' ? ` for ${service}` : `${first}, ${service})`}; the new options are ignored (call shutdown() first)`,
      );
    }
    return live.telemetry;
  }
  validateOptions(options);
  const env = process.env;
  const level = envString(env, 'OTEL_LOG_LEVEL');
  if (level) diag.setLogger(new DiagConsoleLogger(), { logLevel: diagLogLevelFromString(level) });

  const resource = buildResource(options);
  const serviceName = String(resource.attributes['service.name']);
  const config = resolveConfig(options, env, serviceName);
  const timeoutMs = config.shutdownTimeoutMs;
  const entry: LiveSetup = {
    options,
    calledFrom: callerOf(setup),
    warned: false,
    telemetry: undefined as never,
    lastFlush: () => (shutdownPromise ? Promise.resolve() : lastFlushAll()),
  };

  let shutdownPromise: Promise<void> | undefined;
  let release = () => {};
  let forceFlushAll = (): Promise<void> => Promise.resolve();
  let shutdownAll = (): Promise<void> => Promise.resolve();
  /** The flush as the event loop empties: the process is about to end. */
  let lastFlushAll = (): Promise<void> => Promise.resolve();
  let globals: GlobalProviders = {
    tracerProvider: trace.getTracerProvider(),
    meterProvider: metrics.getMeterProvider(),
    loggerProvider: logs.getLoggerProvider(),
  };

  if (!config.disabled) {
    const providers = createProviders(options, config, resource);
    globals = providers;
    const unregister = registerProviders(providers, options);
    const { httpClient } = options;
    // Uninstalled first at shutdown, so calls still open end while their spans can be exported.
    const untraceClients =
      httpClient === false
        ? () => {}
        : traceHttpClients(typeof httpClient === 'object' ? httpClient : {});
    const { tracerProvider, meterProvider, loggerProvider, failures } = providers;
    const metricsUrl = httpDestination('metrics', config.metrics);
    failures.metrics.destination ??= metricsUrl;
    // Traces and logs first, then metrics: the export self-metrics then count
    // what the last flush of spans and log records delivered.
    const phases = (action: 'flush' | 'shutdown', ending: boolean): SignalTask[][] => {
      const task = (
        signal: Signal,
        provider: { forceFlush(): Promise<void>; shutdown(): Promise<void> },
      ) => ({
        signal,
        destination: failures[signal].destination,
        run: async () => {
          if (signal === 'metrics' && ending) await skipUnreachableMetrics();
          return failures[signal].check(() =>
            action === 'flush' ? provider.forceFlush() : provider.shutdown(),
          );
        },
      });
      return [
        [task('traces', tracerProvider), task('logs', loggerProvider)],
        [task('metrics', meterProvider)],
      ];
    };
    // As the process ends, the official metric exporter would retry a
    // collector that is not there until its timeout: when the spans or log
    // records found the same place unreachable, or (metrics never delivered
    // yet) nothing accepts a connection there, the last metrics fail at once.
    const skipUnreachableMetrics = async () => {
      if (metricsUrl === undefined) return;
      const found = failures.traces.unreachable ?? failures.logs.unreachable;
      const reason =
        found !== undefined && new URL(found.url).origin === new URL(metricsUrl).origin
          ? found.reason
          : failures.metrics.delivered
            ? undefined
            : await unreachableReason(metricsUrl);
      if (reason === undefined) return;
      failures.metrics.failFast(
        new Error(`otelkit: metrics were not exported to ${metricsUrl}: ${reason}`),
      );
    };
    const processEnding = (ending: boolean) => {
      failures.traces.processEnding(ending);
      failures.logs.processEnding(ending);
      if (!ending) failures.metrics.failFast(undefined);
    };
    forceFlushAll = () => settleSignals('flush', phases('flush', false), timeoutMs);
    lastFlushAll = () => {
      processEnding(true);
      return settleSignals('flush', phases('flush', true), timeoutMs).finally(() =>
        processEnding(false),
      );
    };
    shutdownAll = () => {
      untraceClients();
      processEnding(true);
      return settleSignals('shutdown', phases('shutdown', true), timeoutMs).finally(unregister);
    };
  }

  const telemetry: Telemetry = {
    resource,
    config,
    tracerProvider: globals.tracerProvider,
    meterProvider: globals.meterProvider,
    loggerProvider: globals.loggerProvider,
    tracer: (name = serviceName, version) => trace.getTracer(name, version),
    meter: (name = serviceName, version) => metrics.getMeter(name, version),
    logger: (name = serviceName, version) => logs.getLogger(name, version),
    forceFlush: () => (shutdownPromise ? Promise.resolve() : forceFlushAll()),
    shutdown() {
      shutdownPromise ??= shutdownAll().finally(() => {
        release();
        if (registry[LIVE_SETUP] === entry) delete registry[LIVE_SETUP];
      });
      return shutdownPromise;
    },
    [Symbol.asyncDispose]: () => telemetry.shutdown(),
  };
  const releaseSignals = options.handleSignals
    ? handleShutdownSignals(() => telemetry.shutdown())
    : () => {};
  // A script whose event loop empties without calling shutdown() still exports
  // what it recorded: once, within the shutdown deadline (process.exit() cannot be caught).
  const flushBeforeExit = () => {
    if (shutdownPromise) return;
    lastFlushAll().catch((error: unknown) => {
      // One line: the export failures were reported as they happened.
      warn(`otelkit: telemetry flush before exit failed: ${(error as Error).message}`);
    });
  };
  process.once('beforeExit', flushBeforeExit);
  release = () => {
    releaseSignals();
    process.off('beforeExit', flushBeforeExit);
  };
  Object.assign(entry, { telemetry });
  registry[LIVE_SETUP] = entry;
  return telemetry;
}

/**
 * The module (`path:line`) that called `fn`, from the stack: who set up first,
 * when a library did before the app. `undefined` when the stack does not say.
 */
function callerOf(fn: (...args: never[]) => unknown): string | undefined {
  try {
    const holder: { stack?: string } = {};
    Error.captureStackTrace(holder, fn);
    const frame = holder.stack?.split('\n')[1];
    const location = frame && /\(?((?:file:\/\/|\/|[A-Za-z]:\\)[^()]*?):(\d+):\d+\)?$/.exec(frame);
    if (!location) return undefined;
    const path = location[1]!.startsWith('file:') ? fileURLToPath(location[1]!) : location[1]!;
    return `${path}:${location[2]}`;
  } catch {
    return undefined;
  }
}
