import type { Context, Span } from '@opentelemetry/api';
import { preciseNow } from '../../internal/clock.ts';
import { perLoggerProvider } from '../../internal/per-provider.ts';
import { VERSION } from '../../internal/version.ts';
import type { LineKeys } from './line-attributes.ts';
import { type LentBindings, readLine } from './read-line.ts';
import { severityOf, severityText } from './severity.ts';

/** The parts of a pino logger the bridge reads. */
export interface BridgedLogger {
  readonly levels: { readonly labels: Readonly<Record<number, string>> };
}

/** How the bridge reads a logger's lines. */
export interface BridgeSettings extends LineKeys {
  /** Records at or above this level number become span events. */
  readonly spanEventLevel: number;
}

/** One log call whose lines become a log record, a span event, or both. */
export interface LogCall extends LentBindings {
  readonly owner: BridgedLogger;
  readonly level: number;
  readonly context: Context;
  /** The span that gets a `log` event, when it does. */
  readonly eventSpan: Span | undefined;
  readonly exporting: boolean;
}

const currentLogger = perLoggerProvider((provider) => provider.getLogger('otelkit/pino', VERSION));

/**
 * The call to read the lines of, or `undefined` (cheaply) when a call at
 * `level` gives neither a log record (no logger provider takes records of
 * this severity) nor a span event (below `spanEventLevel`, or no recording span).
 */
export function startLogCall(
  logger: BridgedLogger,
  level: number,
  settings: BridgeSettings,
  context: Context,
  span: Span | undefined,
  bindings: string,
  ids: string,
): LogCall | undefined {
  const eventSpan =
    level >= settings.spanEventLevel && span?.isRecording() === true ? span : undefined;
  const exporting = currentLogger().enabled({ context, severityNumber: severityOf(level) });
  if (eventSpan === undefined && !exporting) return undefined;
  return { owner: logger, level, context, eventSpan, exporting, bindings, ids };
}

/**
 * Turns one line pino wrote into the call's log record and span event: the
 * line's message is the body and `log.message`, its other members the
 * record's attributes (see `readLine` and `addLineFields`).
 */
export function emitLine(line: unknown, call: LogCall, keys: LineKeys): void {
  if (typeof line !== 'string') return;
  const { message, attributes } = readLine(line, call, keys, call.exporting);
  const text = severityText(call.level, call.owner.levels.labels);
  call.eventSpan?.addEvent('log', { 'log.severity': text, 'log.message': message }, preciseNow());
  if (attributes === undefined) return;
  currentLogger().emit({
    severityNumber: severityOf(call.level),
    severityText: text,
    body: message,
    attributes,
    context: call.context,
  });
}
