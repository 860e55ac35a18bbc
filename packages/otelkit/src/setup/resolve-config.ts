import { resolveSamplingOptions } from '../sampling/sampling-options.ts';
import {
  type Env,
  type EnvUrl,
  envBoolean,
  envChoice,
  envChoiceList,
  envNumber,
  envUrl,
  INVALID,
} from './env.ts';
import { resolvePrometheus } from './prometheus-exporter.ts';
import type {
  ExporterKind,
  OtlpProtocol,
  ResolvedConfig,
  SetupOptions,
  Signal,
  SignalConfig,
} from './setup-options.ts';

const EXPORTER_KINDS: readonly ExporterKind[] = ['otlp', 'console', 'none'];
const METRIC_EXPORTER_KINDS = [...EXPORTER_KINDS, 'prometheus'] as const;
const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
const DEFAULT_HTTP = 'http://localhost:4318';
const DEFAULT_GRPC = 'http://localhost:4317';
const ENV_SIGNAL: Record<Signal, string> = { traces: 'TRACES', metrics: 'METRICS', logs: 'LOGS' };

/** Merges code options over `OTEL_*` variables into one plain description of the setup. */
export function resolveConfig(
  options: SetupOptions,
  env: Env,
  serviceName: string,
): ResolvedConfig {
  const [sampler, sampleRatio] = resolveSampler(options, env);
  // Read once for the three signals, so a bad value is reported once.
  const generalEndpoint =
    options.endpoint === undefined ? envUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') : undefined;
  const envProtocol = envChoice(env, 'OTEL_EXPORTER_OTLP_PROTOCOL', PROTOCOLS);
  const exporter = options.exporter;
  const protocol = (signal: Signal) =>
    options.protocol ??
    envChoice(env, `OTEL_EXPORTER_OTLP_${ENV_SIGNAL[signal]}_PROTOCOL`, PROTOCOLS) ??
    envProtocol ??
    'http/protobuf';
  const intervalMs =
    options.metrics?.intervalMs ??
    envNumber(env, 'OTEL_METRIC_EXPORT_INTERVAL', { min: 1 }) ??
    60_000;
  const timeoutMs = envNumber(env, 'OTEL_METRIC_EXPORT_TIMEOUT', { min: 1 }) ?? 30_000;
  const maxQueueSize = envNumber(env, 'OTEL_BSP_MAX_QUEUE_SIZE', { min: 1, integer: true }) ?? 2048;
  const maxExportBatchSize =
    envNumber(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', { min: 1, integer: true }) ?? 512;
  const metrics = resolveSignal(
    'metrics',
    env,
    options.metrics?.exporter,
    exporter,
    protocol('metrics'),
    options.endpoint,
    generalEndpoint,
  );
  const disabled = envBoolean(env, 'OTEL_SDK_DISABLED') ?? false;
  return {
    disabled,
    serviceName,
    sampler,
    sampleRatio,
    sampling: options.sampling === undefined ? undefined : resolveSamplingOptions(options.sampling),
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 5000,
    httpClient: !disabled && options.httpClient !== false,
    databases: !disabled && options.databases !== false,
    traces: {
      ...resolveSignal(
        'traces',
        env,
        options.traces?.exporter,
        exporter,
        protocol('traces'),
        options.endpoint,
        generalEndpoint,
      ),
      batch: {
        scheduledDelayMillis: envNumber(env, 'OTEL_BSP_SCHEDULE_DELAY', { min: 0 }) ?? 5000,
        exportTimeoutMillis: envNumber(env, 'OTEL_BSP_EXPORT_TIMEOUT', { min: 0 }) ?? 30_000,
        maxQueueSize,
        maxExportBatchSize: Math.min(maxExportBatchSize, maxQueueSize),
      },
    },
    metrics: {
      ...metrics,
      intervalMs,
      timeoutMs: Math.min(timeoutMs, intervalMs),
      prometheus: metrics.exporters.includes('prometheus')
        ? resolvePrometheus(options, env)
        : undefined,
    },
    logs: resolveSignal(
      'logs',
      env,
      options.logs?.exporter,
      exporter,
      protocol('logs'),
      options.endpoint,
      generalEndpoint,
    ),
  };
}

/** One signal: a code exporter object, else `exporter`, else `OTEL_{SIGNAL}_EXPORTER`. */
function resolveSignal(
  signal: Signal,
  env: Env,
  customExporter: object | 'prometheus' | undefined,
  exporter: ExporterKind | undefined,
  protocol: OtlpProtocol,
  baseEndpoint: string | undefined,
  generalEndpoint: EnvUrl,
): SignalConfig {
  const name = ENV_SIGNAL[signal];
  const kinds = signal === 'metrics' ? METRIC_EXPORTER_KINDS : EXPORTER_KINDS;
  const exporters: SignalConfig['exporters'] = customExporter
    ? [customExporter === 'prometheus' ? 'prometheus' : 'custom']
    : exporter !== undefined
      ? [exporter]
      : (envChoiceList(env, `OTEL_${name}_EXPORTER`, kinds) ?? ['otlp']);
  const endpoint =
    baseEndpoint === undefined
      ? envEndpoint(signal, env, protocol, generalEndpoint)
      : protocol === 'grpc'
        ? baseEndpoint
        : signalUrl(baseEndpoint, signal);
  return { exporters: exporters.includes('none') ? ['none'] : exporters, protocol, endpoint };
}

function signalUrl(base: string, signal: Signal): string {
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

/**
 * The signal URL when an `OTEL_EXPORTER_OTLP[_SIGNAL]_ENDPOINT` variable is
 * invalid (no scheme, not http(s), not a URL): reported once, naming it, and
 * replaced by what the valid ones and the defaults give, so that no exporter
 * sends to it. `undefined` when the variables are fine: the exporters read them.
 */
function envEndpoint(
  signal: Signal,
  env: Env,
  protocol: OtlpProtocol,
  general: EnvUrl,
): string | undefined {
  const scoped = envUrl(env, `OTEL_EXPORTER_OTLP_${ENV_SIGNAL[signal]}_ENDPOINT`);
  if (scoped !== INVALID && general !== INVALID) return undefined;
  if (typeof scoped === 'string') return scoped;
  const grpc = protocol === 'grpc';
  const base = typeof general === 'string' ? general : grpc ? DEFAULT_GRPC : DEFAULT_HTTP;
  return grpc ? base : signalUrl(base, signal);
}

function resolveSampler(options: SetupOptions, env: Env): [string, number | undefined] {
  if (options.sampling !== undefined) return ['tail', undefined];
  if (options.sampleRatio !== undefined) return ['parentbased_traceidratio', options.sampleRatio];
  const sampler = envChoice(env, 'OTEL_TRACES_SAMPLER', SAMPLERS) ?? 'parentbased_always_on';
  if (!sampler.endsWith('traceidratio')) return [sampler, undefined];
  return [sampler, envNumber(env, 'OTEL_TRACES_SAMPLER_ARG', { min: 0, max: 1 }) ?? 1];
}

/**
 * Where an OTLP/HTTP exporter of `signal` sends: the configured URL, else the
 * one the official exporter derives from the environment. `undefined` for
 * gRPC and for a signal that does not export OTLP alone.
 */
export function httpDestination(
  signal: Signal,
  config: SignalConfig,
  env: Env = process.env,
): string | undefined {
  if (config.protocol === 'grpc' || config.exporters.length !== 1) return undefined;
  if (config.exporters[0] !== 'otlp') return undefined;
  if (config.endpoint !== undefined) return config.endpoint;
  const scoped = envUrl(env, `OTEL_EXPORTER_OTLP_${ENV_SIGNAL[signal]}_ENDPOINT`);
  if (typeof scoped === 'string') return scoped;
  const general = envUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return signalUrl(typeof general === 'string' ? general : DEFAULT_HTTP, signal);
}
