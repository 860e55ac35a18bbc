import { ClientSettings } from '../http/client/client-settings.ts';
import { resolveSamplingOptions } from '../sampling/sampling-options.ts';
import { validatePrometheusOptions } from './prometheus-exporter.ts';
import { SetupError } from './setup-error.ts';
import type { SetupOptions } from './setup-options.ts';

const EXPORTERS = ['otlp', 'console', 'none'];
const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'];

/** Fails fast on a bad code option, naming it and the bad value. */
export function validateOptions(options: SetupOptions): void {
  const { service } = options;
  if (service !== undefined) {
    if (typeof service.name !== 'string' || service.name.trim() === '') {
      throw new SetupError('service.name', service.name, 'expected a non-empty string');
    }
    for (const key of ['version', 'environment', 'deploymentId', 'region', 'instanceId'] as const) {
      const value = service[key];
      if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
        throw new SetupError(`service.${key}`, value, 'expected a non-empty string');
      }
    }
  }
  if (options.exporter !== undefined && !EXPORTERS.includes(options.exporter)) {
    throw new SetupError('exporter', options.exporter, `expected one of ${EXPORTERS.join(', ')}`);
  }
  if (options.protocol !== undefined && !PROTOCOLS.includes(options.protocol)) {
    throw new SetupError('protocol', options.protocol, `expected one of ${PROTOCOLS.join(', ')}`);
  }
  if (options.endpoint !== undefined && !isHttpUrl(options.endpoint)) {
    throw new SetupError('endpoint', options.endpoint, 'expected an http:// or https:// URL');
  }
  const signalPath = options.endpoint && /\/v1\/(traces|metrics|logs)\/?$/.exec(options.endpoint);
  if (signalPath) {
    throw new SetupError(
      'endpoint',
      options.endpoint,
      `expected the base URL (without /v1/${signalPath[1]}): /v1/{signal} is appended per signal`,
    );
  }
  if (options.headers !== undefined) {
    for (const [name, value] of Object.entries(options.headers)) {
      if (typeof value !== 'string') {
        throw new SetupError(`headers.${name}`, value, 'expected a string');
      }
    }
  }
  const ratio = options.sampleRatio;
  if (ratio !== undefined && !(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) {
    throw new SetupError('sampleRatio', ratio, 'expected a number from 0 to 1');
  }
  if (options.sampling !== undefined) resolveSamplingOptions(options.sampling, ratio);
  positive('shutdownTimeoutMs', options.shutdownTimeoutMs);
  const { httpClient } = options;
  if (httpClient !== undefined && typeof httpClient !== 'boolean') {
    try {
      new ClientSettings(httpClient);
    } catch (error) {
      const reason = (error as Error).message.replace(/^traceHttpClients: /, '');
      throw new SetupError('httpClient', httpClient, reason);
    }
  }
  validateDatabases(options.databases);
  positive('metrics.intervalMs', options.metrics?.intervalMs);
  validatePrometheusOptions(options.metrics);
}

function validateDatabases(databases: SetupOptions['databases']): void {
  if (databases === undefined || typeof databases === 'boolean') return;
  if (typeof databases !== 'object' || databases === null || Array.isArray(databases)) {
    throw new SetupError('databases', databases, 'expected true, false or { queryText?: boolean }');
  }
  for (const [key, value] of Object.entries(databases)) {
    if (key !== 'queryText') {
      throw new SetupError(`databases.${key}`, value, 'expected no such option (known: queryText)');
    }
    if (value !== undefined && typeof value !== 'boolean') {
      throw new SetupError('databases.queryText', value, 'expected a boolean');
    }
  }
}

function positive(option: string, value: number | undefined): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new SetupError(option, value, 'expected a positive number of milliseconds');
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
