import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { DiagConsoleLogger, diag, logs, metrics, trace } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import { traceDatabases } from '../db/trace-databases.ts';
import { traceHttpClients } from '../http/client/trace-http-clients.ts';
import { LIVE_SETUP, type LiveFlush, liveSetup } from '../internal/live-setup.ts';
import { warn } from '../internal/warn.ts';
import { envString } from './env.ts';
import { createProviders, registerProviders } from './providers.ts';
import type { GlobalProviders } from './register-globals.ts';
import { httpDestination, resolveConfig } from './resolve-config.ts';
import { buildResource } from './resource.ts';
import {
  exporterGraceMs,
  failureLines,
  type SignalTask,
  settleSignals,
  signalPhases,
} from './settle-signals.ts';
import type { SetupOptions, Signal, Telemetry } from './setup-options.ts';
import { handleShutdownSignals } from './shutdown-signals.ts';
import { unexportedLine } from './unexported-line.ts';
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
  /** Records held for export, not yet sent nor counted lost. */
  let pendingCounts = () => ({ spans: 0, logRecords: 0 });
  let shutDown = false;
  /** Set once the flush of a process about to end has run. */
  let endFlushed = false;
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
    const { databases } = options;
    const untraceDatabases =
      databases === false
        ? () => {}
        : traceDatabases(typeof databases === 'object' ? databases : {}, options.instrumentations);
    const { tracerProvider, meterProvider, loggerProvider, failures } = providers;
    failures.metrics.destination ??= httpDestination('metrics', config.metrics);
    const task = (
      signal: Signal,
      provider: { forceFlush(): Promise<void>; shutdown(): Promise<void> },
      action: 'flush' | 'shutdown',
    ): SignalTask => ({
      signal,
      destination: failures[signal].destination,
      run: () =>
        failures[signal].check(() =>
          action === 'flush' ? provider.forceFlush() : provider.shutdown(),
        ),
    });
    const phases = (action: 'flush' | 'shutdown') =>
      signalPhases(
        timeoutMs,
        [task('traces', tracerProvider, action), task('logs', loggerProvider, action)],
        [task('metrics', meterProvider, action)],
      );
    /** Tells otelkit's exporters the process ends, each signal by the end of its phase. */
    const processEnding = (ending: boolean) => {
      const [records, metrics] = phases('flush').map(
        ({ withinMs }) => withinMs - exporterGraceMs(withinMs),
      );
      failures.traces.processEnding(ending, records);
      failures.logs.processEnding(ending, records);
      failures.metrics.processEnding(ending, metrics);
    };
    pendingCounts = () => ({
      spans: failures.traces.pendingCount,
      logRecords: failures.logs.pendingCount,
    });
    forceFlushAll = () => settleSignals('flush', phases('flush'));
    lastFlushAll = () => {
      processEnding(true);
      return settleSignals('flush', phases('flush')).finally(() => {
        endFlushed = true;
        processEnding(false);
      });
    };
    shutdownAll = () => {
      untraceClients();
      untraceDatabases();
      processEnding(true);
      return settleSignals('shutdown', phases('shutdown')).finally(unregister);
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
        shutDown = true;
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
  // what it recorded: once, within the shutdown deadline.
  const flushBeforeExit = () => {
    if (shutdownPromise) return;
    lastFlushAll().catch((error: unknown) => {
      for (const line of failureLines(error)) warn(line);
    });
  };
  // process.exit() cannot wait: say, synchronously, what it loses.
  const reportUnexported = () => {
    if (shutDown || config.disabled) return;
    const line = unexportedLine(pendingCounts(), !endFlushed);
    if (line !== undefined) process.stderr.write(`${line}\n`);
  };
  process.once('beforeExit', flushBeforeExit);
  process.once('exit', reportUnexported);
  release = () => {
    releaseSignals();
    process.off('beforeExit', flushBeforeExit);
    process.off('exit', reportUnexported);
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
