import { warnOnce } from '../internal/warn.ts';
import type { OtlpExportOptions } from './otlp-export-options.ts';

/** The signals otelkit's processors and metric exporter export. */
export type ExportSignal = 'traces' | 'logs' | 'metrics';

/** An environment to read `OTEL_*` variables from; `process.env` by default. */
export type ExportEnv = Readonly<Record<string, string | undefined>>;

/**
 * The effective export configuration of one signal, after code options,
 * `OTEL_EXPORTER_OTLP_*` variables and defaults. Safe to log: header values
 * (often credentials) are left out; only their names are shown.
 */
export interface ResolvedOtlpExportConfig {
  readonly signal: ExportSignal;
  /** The full signal URL requests go to. */
  readonly url: string;
  /** The names of the headers sent with every request. */
  readonly headerNames: readonly string[];
  readonly compression: 'gzip' | 'none';
  readonly timeoutMs: number;
  readonly maxQueueBytes: number;
  readonly maxRequestBytes: number;
  readonly flushIntervalMs: number;
  readonly maxConcurrentRequests: number;
  readonly maxRetryTimeMs: number;
  readonly selfMetrics: boolean;
}

const DEFAULT_BASE = 'http://localhost:4318';
const ENV_SIGNAL: Record<ExportSignal, string> = {
  traces: 'TRACES',
  logs: 'LOGS',
  metrics: 'METRICS',
};
/** The batch processor variables of the specification, of spans and log records; and the processors they are mapped onto. */
const BATCH: Partial<Record<ExportSignal, { prefix: string; processor: string }>> = {
  traces: { prefix: 'OTEL_BSP', processor: 'OtlpSpanProcessor' },
  logs: { prefix: 'OTEL_BLRP', processor: 'OtlpLogRecordProcessor' },
};
const COMPRESSIONS = ['gzip', 'none'] as const;
/** Set by the sender itself; a header of the same name from the configuration would be sent twice. */
const OWN_HEADERS = new Set(['content-type', 'content-length', 'content-encoding']);

const headerValues = new WeakMap<ResolvedOtlpExportConfig, Readonly<Record<string, string>>>();

/**
 * Resolves the export configuration of `signal` from code `options` over
 * the standard variables of `env`. An invalid code option throws a
 * `TypeError` or `RangeError` naming the option and its value; an invalid
 * variable is reported once through a warning that names it, and the default
 * applies, so a typo in the environment never stops the app.
 *
 * @example
 * const config = resolveOtlpExportConfig('traces', { compression: 'gzip' });
 * console.log(config.url); // http://localhost:4318/v1/traces unless OTEL_EXPORTER_OTLP_* say otherwise
 */
export function resolveOtlpExportConfig(
  signal: ExportSignal,
  options: OtlpExportOptions = {},
  env: ExportEnv = process.env,
): ResolvedOtlpExportConfig {
  const scoped = (name: string) => `OTEL_EXPORTER_OTLP_${ENV_SIGNAL[signal]}_${name}`;
  const general = (name: string) => `OTEL_EXPORTER_OTLP_${name}`;
  const batch = (name: string) =>
    BATCH[signal] === undefined ? undefined : envInteger(env, `${BATCH[signal].prefix}_${name}`);
  warnCountBounds(signal, env);
  const headers = {
    ...envHeaders(env, general('HEADERS')),
    ...envHeaders(env, scoped('HEADERS')),
    ...codeHeaders(options.headers),
  };
  for (const name of Object.keys(headers)) if (OWN_HEADERS.has(name)) delete headers[name];
  const maxQueueBytes = integer('maxQueueBytes', options.maxQueueBytes, 1) ?? 8 * 1024 * 1024;
  const maxRequestBytes = integer('maxRequestBytes', options.maxRequestBytes, 1) ?? 1024 * 1024;
  const config: ResolvedOtlpExportConfig = {
    signal,
    url: resolveUrl(signal, options.url, env, scoped('ENDPOINT'), general('ENDPOINT')),
    headerNames: Object.keys(headers),
    compression:
      choice('compression', options.compression, COMPRESSIONS) ??
      envChoice(env, scoped('COMPRESSION'), COMPRESSIONS) ??
      envChoice(env, general('COMPRESSION'), COMPRESSIONS) ??
      'none',
    timeoutMs:
      integer('timeoutMs', options.timeoutMs, 1) ??
      envInteger(env, scoped('TIMEOUT')) ??
      envInteger(env, general('TIMEOUT')) ??
      10_000,
    maxQueueBytes,
    maxRequestBytes: Math.min(maxRequestBytes, maxQueueBytes),
    flushIntervalMs:
      integer('flushIntervalMs', options.flushIntervalMs, 1) ?? batch('SCHEDULE_DELAY') ?? 1000,
    maxConcurrentRequests: integer('maxConcurrentRequests', options.maxConcurrentRequests, 1) ?? 4,
    // The specification's "maximum allowed time to export data": one request, its retries included.
    maxRetryTimeMs:
      integer('maxRetryTimeMs', options.maxRetryTimeMs, 0) ?? batch('EXPORT_TIMEOUT') ?? 60_000,
    selfMetrics: boolean('selfMetrics', options.selfMetrics) ?? true,
  };
  headerValues.set(config, headers);
  return config;
}

/** The header values of a resolved configuration, kept out of it so that logging it leaks nothing. */
export function exportHeaders(config: ResolvedOtlpExportConfig): Readonly<Record<string, string>> {
  return headerValues.get(config) ?? {};
}

function resolveUrl(
  signal: ExportSignal,
  code: string | undefined,
  env: ExportEnv,
  scopedName: string,
  generalName: string,
): string {
  if (code !== undefined) {
    if (typeof code !== 'string' || !isHttpUrl(code)) {
      throw invalidOption('url', code, 'an http:// or https:// URL');
    }
    return code;
  }
  const scoped = envUrl(env, scopedName);
  if (scoped !== undefined) return scoped;
  const base = envUrl(env, generalName) ?? DEFAULT_BASE;
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

function envUrl(env: ExportEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (isHttpUrl(value)) return value;
  ignore(name, value, 'an http:// or https:// URL');
  return undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** `key=value,key2=value2`, values percent-encoded, as the OTLP exporter specification says. */
function envHeaders(env: ExportEnv, name: string): Record<string, string> {
  const value = env[name]?.trim();
  const headers: Record<string, string> = {};
  if (!value) return headers;
  for (const entry of value.split(',')) {
    const at = entry.indexOf('=');
    const key = entry.slice(0, at).trim().toLowerCase();
    let decoded: string | undefined;
    try {
      decoded = at > 0 ? decodeURIComponent(entry.slice(at + 1).trim()) : undefined;
    } catch {
      decoded = undefined;
    }
    if (decoded === undefined || !isToken(key) || !isHeaderValue(decoded)) {
      // The entry's value may be a credential: only its name goes into the warning.
      ignore(name, `${key || entry.trim().slice(0, 20)}=…`, 'key=value pairs separated by commas');
      continue;
    }
    headers[key] = decoded;
  }
  return headers;
}

function codeHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  if (headers === undefined) return {};
  if (typeof headers !== 'object' || headers === null) {
    throw invalidOption('headers', headers, 'an object of header names to string values');
  }
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (!isToken(key) || typeof value !== 'string' || !isHeaderValue(value)) {
      throw invalidOption(`headers.${key}`, '…', 'a header name with a string value on one line');
    }
    result[key.toLowerCase()] = value;
  }
  return result;
}

function isToken(name: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name);
}

function isHeaderValue(value: string): boolean {
  return !/[\r\n\0]/.test(value);
}

function integer(option: string, value: number | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalidOption(option, value, `a whole number >= ${min}`);
  }
  return value;
}

function choice<T extends string>(
  option: string,
  value: T | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!choices.includes(value)) throw invalidOption(option, value, `one of ${choices.join(', ')}`);
  return value;
}

function boolean(option: string, value: boolean | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalidOption(option, value, 'true or false');
  return value;
}

function envChoice<T extends string>(
  env: ExportEnv,
  name: string,
  choices: readonly T[],
): T | undefined {
  const value = env[name]?.trim().toLowerCase();
  if (!value) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  ignore(name, value, `one of ${choices.join(', ')}`);
  return undefined;
}

function envInteger(env: ExportEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (Number.isSafeInteger(value) && value >= 1) return value;
  ignore(name, raw, 'a whole number of milliseconds >= 1');
  return undefined;
}

function invalidOption(option: string, value: unknown, expected: string): Error {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const message = `otelkit export: invalid option ${option} = ${shown}: expected ${expected}`;
  return typeof value === 'number' ? new RangeError(message) : new TypeError(message);
}

/**
 * The specification's batch processors bound their queue and batches in
 * records; otelkit's processors bound them in bytes. A count set for them is
 * reported once, naming the options that do apply, rather than ignored unseen.
 */
function warnCountBounds(signal: ExportSignal, env: ExportEnv): void {
  const batch = BATCH[signal];
  if (batch === undefined) return;
  for (const name of ['MAX_QUEUE_SIZE', 'MAX_EXPORT_BATCH_SIZE']) {
    const variable = `${batch.prefix}_${name}`;
    if (!env[variable]?.trim()) continue;
    warnOnce(
      variable,
      `otelkit: ${variable} does not apply to ${batch.processor}, which bounds its queue and requests in bytes: set its maxQueueBytes and maxRequestBytes options instead`,
    );
  }
}

/** Reports an invalid variable once per process, so each processor reading it does not repeat it. */
function ignore(name: string, value: string, expected: string): void {
  warnOnce(
    `${name}=${value}`,
    `otelkit: ignoring ${name}=${JSON.stringify(value)} (expected ${expected}); using the default`,
  );
}
