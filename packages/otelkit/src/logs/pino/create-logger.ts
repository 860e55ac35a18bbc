import pino from 'pino';
import { errorChain } from '../../errors/error-chain.ts';
import { type BridgedLogger, type BridgeSettings, bridgeLogCall } from './log-record-bridge.ts';
import { traceFields } from './trace-fields.ts';

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
 * `trace_flags`; every record is also emitted as an OpenTelemetry log record
 * through the global LoggerProvider when one takes it; records at or above
 * `spanEventLevel` become a `log` event on the active span; and an error
 * logged as `{ err }` keeps pino's serialization plus its cause `chain`.
 *
 * @example
 * const logger = createLogger({ level: 'info' });
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
  const settings: BridgeSettings = {
    errorKey,
    spanEventLevel: levelNumber(spanEventLevel, given.customLevels),
  };
  const userMixin = given.mixin;
  const userLogMethod = given.hooks?.logMethod;
  const userErrorSerializer = given.serializers?.[errorKey] ?? pino.stdSerializers.err;

  const pinoOptions: pino.LoggerOptions<CustomLevels, UseOnlyCustomLevels> = {
    ...given,
    mixin:
      userMixin === undefined
        ? (mergeObject) => traceFields() ?? (EMPTY as typeof mergeObject)
        : (mergeObject, level, logger) => {
            const own = userMixin(mergeObject, level, logger);
            const ids = traceFields();
            return ids === undefined ? own : { ...own, ...ids };
          },
    hooks: {
      ...given.hooks,
      logMethod(args, method, level) {
        try {
          bridgeLogCall(this as unknown as BridgedLogger, args, level, settings);
        } catch {
          // A failing export never loses the line.
        }
        if (userLogMethod) return userLogMethod.call(this, args, method, level);
        return method.apply(this, args);
      },
    },
    serializers: {
      ...given.serializers,
      [errorKey]: (error: unknown) => withChain(error, userErrorSerializer(error as Error)),
    },
  };
  // Outside a span the mixin returns EMPTY; keep pino's default merge from writing into it.
  if (given.mixinMergeStrategy === undefined) {
    pinoOptions.mixinMergeStrategy = (mergeObject, mixinObject) =>
      mixinObject === EMPTY ? mergeObject : Object.assign(mixinObject, mergeObject);
  }
  return stream === undefined ? pino(pinoOptions) : pino(pinoOptions, stream);
}

const EMPTY: object = Object.freeze({});

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
  return custom?.[level] ?? pino.levels.values[level] ?? pino.levels.values.warn!;
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
