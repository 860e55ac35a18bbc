import { format } from 'node:util';
import type { AnyValue, Attributes, Context, Span } from '@opentelemetry/api';
import { collectChain } from '../../errors/error-chain.ts';
import { exceptionAttributes } from '../../errors/exception-attributes.ts';
import { preciseNow } from '../../internal/clock.ts';
import { perLoggerProvider } from '../../internal/per-provider.ts';
import { VERSION } from '../../internal/version.ts';
import { severityOf, severityText } from './severity.ts';

/** The parts of a pino logger the bridge reads. */
export interface BridgedLogger {
  readonly levels: { readonly labels: Readonly<Record<number, string>> };
  readonly msgPrefix?: string | undefined;
  bindings(): Record<string, unknown>;
}

/** How the bridge reads a log call. */
export interface BridgeSettings {
  /** Records at or above this level number become span events. */
  readonly spanEventLevel: number;
  /** pino's `errorKey`. */
  readonly errorKey: string;
}

const currentLogger = perLoggerProvider((provider) => provider.getLogger('otelkit/pino', VERSION));

/**
 * Called from pino's `logMethod` hook with the arguments of one log call:
 * emits the OpenTelemetry log record (when a logger provider takes records of
 * this severity) and the span event `log` (at or above `spanEventLevel`,
 * when a span is recording). Does nothing, cheaply, when neither applies.
 */
export function bridgeLogCall(
  logger: BridgedLogger,
  args: readonly unknown[],
  level: number,
  settings: BridgeSettings,
  active: Context,
  span: Span | undefined,
): void {
  const wantsEvent = level >= settings.spanEventLevel && span?.isRecording() === true;
  const otel = currentLogger();
  const severityNumber = severityOf(level);
  const exporting = otel.enabled({ context: active, severityNumber });
  if (!wantsEvent && !exporting) return;

  const first = args[0];
  const merge = typeof first === 'object' && first !== null ? first : undefined;
  const error =
    merge instanceof Error
      ? merge
      : errorIn((merge as Record<string, unknown>)?.[settings.errorKey]);
  const message = messageOf(args, merge === undefined ? 0 : 1, error, logger.msgPrefix);
  const text = severityText(level, logger.levels.labels);

  if (wantsEvent)
    span!.addEvent('log', { 'log.severity': text, 'log.message': message }, preciseNow());
  if (!exporting) return;
  const attributes: Attributes = { ...bindingsOf(logger) };
  if (merge !== undefined && !(merge instanceof Error))
    addFields(attributes, merge, settings.errorKey);
  if (error !== undefined) addException(attributes, error);
  otel.emit({ severityNumber, severityText: text, body: message, attributes, context: active });
}

function errorIn(value: unknown): Error | undefined {
  return value instanceof Error ? value : undefined;
}

/** The message pino prints: the format string with its arguments, or the error's message. */
function messageOf(
  args: readonly unknown[],
  index: number,
  error: Error | undefined,
  prefix: string | undefined,
): string {
  const template = args[index];
  let message: string;
  if (typeof template === 'string') {
    message = args.length > index + 1 ? format(template, ...args.slice(index + 1)) : template;
  } else if (template === undefined) {
    message = error?.message ?? '';
  } else {
    message = String(template);
  }
  return prefix ? prefix + message : message;
}

const bindingCache = new WeakMap<object, Attributes>();

/** A child logger's bindings as attributes, computed once per logger rather than per line. */
function bindingsOf(logger: BridgedLogger): Attributes {
  let attributes = bindingCache.get(logger);
  if (attributes === undefined) {
    attributes = {};
    addFields(attributes, logger.bindings(), undefined);
    bindingCache.set(logger, attributes);
  }
  return attributes;
}

function addFields(target: Attributes, fields: object, skip: string | undefined): void {
  for (const key of Object.keys(fields)) {
    if (key === skip) continue;
    const value = toAttribute((fields as Record<string, unknown>)[key]);
    if (value !== undefined) target[key] = value;
  }
}

function toAttribute(value: unknown): Attributes[string] {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
      try {
        return JSON.stringify(value as AnyValue);
      } catch {
        return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** The same exception attributes as a span's `exception` event, chain included. */
function addException(attributes: Attributes, error: Error): void {
  const chain: unknown[] = [];
  collectChain(error, chain);
  const described = exceptionAttributes(error, chain);
  for (const key of Object.keys(described)) {
    if (described[key] !== undefined) attributes[key] = described[key];
  }
}
