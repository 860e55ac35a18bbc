import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { loadPackage } from '../internal/load-package.ts';
import { warn } from '../internal/warn.ts';
import { type Env, envNumber, envString } from './env.ts';
import { SetupError } from './setup-error.ts';
import type { ResolvedConfig, SetupOptions } from './setup-options.ts';

/** Where the Prometheus exporter serves `/metrics`. */
export interface PrometheusConfig {
  readonly host: string;
  readonly port: number;
}

/** Loopback by default: metrics are served to the world only when asked. */
const DEFAULT_HOST = '127.0.0.1';
/** The port registered for the OpenTelemetry Prometheus exporter. */
const DEFAULT_PORT = 9464;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[?[0-9A-Fa-f:.]+\]?)$/;

/** Fails fast on a bad `metrics.exporter`, `metrics.host` or `metrics.port`. */
export function validatePrometheusOptions(metrics: SetupOptions['metrics']): void {
  const exporter = metrics?.exporter;
  if (typeof exporter === 'string' && exporter !== 'prometheus') {
    throw new SetupError(
      'metrics.exporter',
      exporter,
      "expected 'prometheus' or a PushMetricExporter",
    );
  }
  const host = metrics?.host;
  if (host !== undefined && !(typeof host === 'string' && HOST.test(host))) {
    throw new SetupError(
      'metrics.host',
      host,
      'expected a host name or IP address, e.g. 127.0.0.1',
    );
  }
  const port = metrics?.port;
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65_535)) {
    throw new SetupError('metrics.port', port, 'expected a whole number from 1 to 65535');
  }
}

/** Host and port from code, else `OTEL_EXPORTER_PROMETHEUS_HOST` / `_PORT`, else 127.0.0.1:9464. */
export function resolvePrometheus(options: SetupOptions, env: Env): PrometheusConfig {
  let envHost = envString(env, 'OTEL_EXPORTER_PROMETHEUS_HOST');
  if (envHost !== undefined && !HOST.test(envHost)) {
    warn(
      `otelkit: ignoring OTEL_EXPORTER_PROMETHEUS_HOST=${JSON.stringify(envHost)} (expected a host name or IP address); using the default`,
    );
    envHost = undefined;
  }
  return {
    host: options.metrics?.host ?? envHost ?? DEFAULT_HOST,
    port:
      options.metrics?.port ??
      envNumber(env, 'OTEL_EXPORTER_PROMETHEUS_PORT', { min: 1, max: 65_535, integer: true }) ??
      DEFAULT_PORT,
  };
}

/**
 * The official `PrometheusExporter` when the metrics configuration asks for
 * it (its package loaded then): a reader that serves `/metrics` for Prometheus to pull. A port already
 * taken is reported, not thrown: the app runs on without it.
 */
export function prometheusReaders(metrics: ResolvedConfig['metrics']): MetricReader[] {
  const config = metrics.prometheus;
  if (config === undefined) return [];
  const { PrometheusExporter: Exporter } = loadPackage<{
    PrometheusExporter: typeof PrometheusExporter;
  }>('@opentelemetry/exporter-prometheus');
  const exporter = new Exporter(config, (error) => {
    if (error) {
      warn(
        `otelkit: the Prometheus exporter cannot serve on ${config.host}:${config.port} (${error.message}); metrics are not served`,
      );
    }
  });
  return [exporter];
}
