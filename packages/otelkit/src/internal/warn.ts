import { diag } from '@opentelemetry/api';

/**
 * Reports a problem that must not stop the app (a bad environment value, a
 * second `setup()` with other options): once to the OpenTelemetry diag logger
 * and once as a process warning, so it is seen whether or not diag is wired.
 */
export function warn(message: string): void {
  diag.warn(message);
  process.emitWarning(message, { type: 'OtelkitWarning' });
}
