import { isInstalled, peerRange } from '../internal/load-package.ts';
import { SetupError } from './setup-error.ts';
import type { OtlpProtocol, ResolvedConfig, Signal } from './setup-options.ts';

/**
 * The official OTLP exporter package of each signal and protocol. None over
 * `http/protobuf`: otelkit's own processors and metric exporter send it.
 */
export const OTLP_EXPORTER_PACKAGES: Record<Signal, Partial<Record<OtlpProtocol, string>>> = {
  traces: {
    'http/json': '@opentelemetry/exporter-trace-otlp-http',
    grpc: '@opentelemetry/exporter-trace-otlp-grpc',
  },
  metrics: {
    'http/json': '@opentelemetry/exporter-metrics-otlp-http',
    grpc: '@opentelemetry/exporter-metrics-otlp-grpc',
  },
  logs: {
    'http/json': '@opentelemetry/exporter-logs-otlp-http',
    grpc: '@opentelemetry/exporter-logs-otlp-grpc',
  },
};

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

/**
 * Fails fast, before anything is built, when the configuration exports OTLP
 * over gRPC and the optional packages that carry it are not installed: the
 * `SetupError` names each package to install, with the range otelkit needs.
 */
export function assertGrpcInstalled(config: ResolvedConfig): void {
  const needed = SIGNALS.filter(
    (signal) => config[signal].protocol === 'grpc' && config[signal].exporters.includes('otlp'),
  ).map((signal) => OTLP_EXPORTER_PACKAGES[signal].grpc!);
  if (needed.length === 0) return;
  const missing = [...needed, '@grpc/grpc-js'].filter((name) => !isInstalled(name));
  if (missing.length === 0) return;
  const install = missing.map((name) => {
    const range = peerRange(name);
    return range === undefined ? name : `${name}@${range}`;
  });
  throw new SetupError(
    'protocol',
    'grpc',
    `OTLP over gRPC needs packages otelkit leaves out unless asked for; install them: npm install ${install.join(' ')}`,
  );
}
