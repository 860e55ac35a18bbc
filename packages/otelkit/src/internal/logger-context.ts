import type { Context } from '@opentelemetry/api';

// A request's logger that an HTTP adapter made (Fastify's per-request child
// logger) carries the request's context, so that the lines written through
// it outside of the request's context (Fastify's "incoming request" before
// the span is active, "request completed" after the response) are still
// correlated by otelkit/pino. A global symbol: two installed copies agree.
const LOGGER_CONTEXT = Symbol.for('otelkit.logger-context');

type WithContext = { [LOGGER_CONTEXT]?: Context };

/** Gives `logger` (and the child loggers made from it later) the context of the request it logs for. */
export function bindLoggerContext(logger: object, ctx: Context): void {
  try {
    (logger as WithContext)[LOGGER_CONTEXT] = ctx;
  } catch {
    // A frozen logger stays uncorrelated outside the request's context.
  }
}

/** The context `bindLoggerContext` gave `logger` or one of its parents, if any. */
export function loggerContext(logger: object): Context | undefined {
  return (logger as WithContext)[LOGGER_CONTEXT];
}
