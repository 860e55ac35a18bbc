import { context, trace } from '@opentelemetry/api';
import type pino from 'pino';
import { errorChain } from '../../errors/error-chain.ts';
import { importPeer } from '../../internal/import-peer.ts';
import { loggerContext } from '../../internal/logger-context.ts';
import { LineCaptures } from './line-capture.ts';
import {
  type BridgedLogger,
  type BridgeSettings,
  emitLine,
  type LogCall,
  startLogCall,
} from './log-record-bridge.ts';
import { traceFieldsJson } from './trace-fields.ts';

const { default: pinoModule } = await importPeer<{ default: typeof pino }>(
  'pino',
  'otelkit/pino',
  'pino',
);

/** Options of `createLogger()`: every pino option, plus `spanEventLevel`. */
export type CreateLoggerOptions<
  CustomLevels extends string = never,
  UseOnlyCustomLevels extends boolean = boolean,
> = pino.LoggerOptions<CustomLevels, UseOnlyCustomLevels> & {
  /**
   * Records at or above this level are also added to the active span as an
   * event `log` (`log.severity`, `log.message`); `false` adds none.
   * @default 'warn'
   */
  spanEventLevel?: pino.Level | CustomLevels | number | false;
};

/**
 * A real pino logger (same arguments as `pino()`) correlated with tracing:
 * every line written inside a span carries `trace_id`, `span_id` and
 * `trace_flags`; every line is also emitted as an OpenTelemetry log record
 * through the global LoggerProvider when one takes it; lines at or above
 * `spanEventLevel` become a `log` event on the active span; and an error
 * logged as `{ err }` keeps pino's serialization plus its cause `chain`.
 *
 * The record and the event are read from the line pino wrote, never from the
 * arguments of the call: whatever `redact`, `serializers`, `formatters`,
 * `mixin`, `msgPrefix`, a child's own options and `hooks.streamWrite` did to
 * the line, they did to the record. For the length of each exported call the
 * logger writes to a stand-in destination that passes the line on unchanged
 * and keeps its text; the record's body is the line's message, its
 * attributes the line's other members (less `level`, `time`, `pid`,
 * `hostname` and the trace ids, which the record holds as its severity,
 * timestamp, resource and context), objects as their JSON, the members under
 * `nestedKey` alongside the others, and the error under `errorKey` as
 * `exception.*` from its serialized form. A call that writes no line (below
 * the logger's level, or dropped by a `logMethod` hook) exports nothing.
 *
 * @example
 * const logger = createLogger({ level: 'info', redact: ['user.password'] });
 * logger.warn({ orderId }, 'payment retried'); // a line with trace_id, a log record, a span event
 */
export function createLogger<
  CustomLevels extends string = never,
  UseOnlyCustomLevels extends boolean = boolean,
>(
  options?: CreateLoggerOptions<CustomLevels, UseOnlyCustomLevels> | pino.DestinationStream,
  destination?: pino.DestinationStream,
): pino.Logger<CustomLevels, UseOnlyCustomLevels> {
  const stream = isStream(options) ? options : destination;
  const { spanEventLevel = 'warn', ...given } = (
    isStream(options) ? {} : (options ?? {})
  ) as CreateLoggerOptions<CustomLevels, UseOnlyCustomLevels>;
  const errorKey = given.errorKey ?? 'err';
  const messageKey = given.messageKey ?? 'msg';
  const settings: BridgeSettings = {
    errorKey,
    messageKey,
    nestedKey: given.nestedKey ?? undefined,
    rewrites:
      typeof (given.hooks as { streamWrite?: unknown } | undefined)?.streamWrite === 'function',
    spanEventLevel: levelNumber(spanEventLevel, given.customLevels),
  };
  const userLogMethod = given.hooks?.logMethod;
  const userErrorSerializer = given.serializers?.[errorKey] ?? pinoModule.stdSerializers.err;
  const captures = new LineCaptures((line: unknown, call: LogCall) =>
    emitLine(line, call, settings),
  );

  const pinoOptions: pino.LoggerOptions<CustomLevels, UseOnlyCustomLevels> = {
    ...given,
    hooks: {
      ...given.hooks,
      logMethod(args, method, level) {
        let active = context.active();
        let span = trace.getSpan(active);
        if (span === undefined) {
          // A request's logger made by an HTTP adapter knows its request, active or not.
          const bound = loggerContext(this);
          if (bound !== undefined) {
            active = bound;
            span = trace.getSpan(bound);
          }
        }
        const ids = span === undefined ? '' : traceFieldsJson(span);
        const self = this as unknown as Record<symbol, unknown>;
        const bindings = self[CHINDINGS] as string;
        let call: LogCall | undefined;
        try {
          const logger = this as unknown as BridgedLogger;
          call = startLogCall(logger, level, settings, active, span, bindings, ids);
        } catch {
          // A failing export never loses the line.
        }
        if (ids === '' && call === undefined) return write(this, args, method, level);
        // pino appends a logger's serialized bindings to every line it writes,
        // and writes the line to the logger's destination, both synchronously:
        // lending it the span's ids costs one concatenation, and lending it a
        // destination that reads the line gives the record exactly that line.
        const destination = self[STREAM] as pino.DestinationStream;
        const capture = call === undefined ? undefined : captures.of(destination);
        const outer = capture?.call;
        self[CHINDINGS] = bindings + ids;
        if (capture !== undefined) {
          capture.call = call;
          self[STREAM] = capture;
        }
        try {
          return write(this, args, method, level);
        } finally {
          self[CHINDINGS] = bindings;
          if (capture !== undefined) {
            self[STREAM] = destination;
            capture.call = outer;
          }
        }
      },
    },
    serializers: {
      ...given.serializers,
      [errorKey]: (error: unknown) => withChain(error, userErrorSerializer(error as Error)),
    },
  };
  function write(
    logger: pino.Logger,
    args: Parameters<pino.LogFn>,
    method: pino.LogFn,
    level: number,
  ): void {
    if (userLogMethod) userLogMethod.call(logger as never, args, method, level);
    else method.apply(logger, args);
  }
  return stream === undefined ? pinoModule(pinoOptions) : pinoModule(pinoOptions, stream);
}

const { chindingsSym: CHINDINGS, streamSym: STREAM } = pinoModule.symbols;

function isStream(value: unknown): value is pino.DestinationStream {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { write?: unknown }).write === 'function'
  );
}

function levelNumber(level: string | number | false, custom?: Record<string, number>): number {
  if (level === false) return Number.POSITIVE_INFINITY;
  if (typeof level === 'number') return level;
  return custom?.[level] ?? pinoModule.levels.values[level] ?? pinoModule.levels.values.warn!;
}

/** pino's serialization of an error, plus `chain: [{ type, message }…]` when it wraps causes. */
function withChain(error: unknown, serialized: unknown): unknown {
  if (!(error instanceof Error)) return serialized;
  if (error.cause === undefined && !(error instanceof AggregateError)) return serialized;
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  try {
    const chain = errorChain(error).map(({ type, message }) => ({ type, message }));
    return Object.assign(serialized, { chain });
  } catch {
    return serialized;
  }
}
