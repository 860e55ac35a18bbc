import { type Attributes, context, logs, SeverityNumber } from '@opentelemetry/api';
import {
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
} from '@opentelemetry/semantic-conventions';
import { errorMessage, errorType, readProperty } from '../errors/describe-error.ts';
import { recordError } from '../errors/record-error.ts';
import { VERSION } from '../internal/version.ts';

/** Severities otelkit logs the failures it catches for the user with. */
export type FailureSeverity = 'error' | 'fatal';

/**
 * Emits a log record for a failure otelkit caught on the user's behalf (a
 * detached task, a cleanup step, a crash), with the `exception.*` attributes
 * set here so any SDK exports them. Never throws.
 */
export function logFailure(
  message: string,
  error: unknown,
  attributes?: Attributes,
  severity: FailureSeverity = 'error',
): void {
  try {
    const exception: Attributes = {
      [ATTR_EXCEPTION_TYPE]: errorType(error),
      [ATTR_EXCEPTION_MESSAGE]: errorMessage(error),
    };
    if (typeof error === 'object' && error !== null) {
      const stack = readProperty(error, 'stack');
      if (typeof stack === 'string') exception[ATTR_EXCEPTION_STACKTRACE] = stack;
    }
    logs.getLogger('otelkit', VERSION).emit({
      severityNumber: severity === 'fatal' ? SeverityNumber.FATAL : SeverityNumber.ERROR,
      severityText: severity === 'fatal' ? 'FATAL' : 'ERROR',
      body: message,
      attributes: attributes ? { ...exception, ...attributes } : exception,
      exception: error,
      context: context.active(),
    });
  } catch {
    // Telemetry never throws into user code.
  }
}

/** Records `error` on the active span and logs it: for failures with no caller to throw to. */
export function reportFailure(message: string, error: unknown, attributes?: Attributes): void {
  recordError(error);
  logFailure(message, error, attributes);
}
