/**
 * otelkit/pino: pino loggers correlated with traces, exported as
 * OpenTelemetry log records. pino is an optional peer dependency.
 * @module
 */

export type { CreateLoggerOptions } from './create-logger.ts';
export { createLogger } from './create-logger.ts';
