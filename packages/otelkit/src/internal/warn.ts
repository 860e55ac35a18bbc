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

const warned = new Set<string>();

/**
 * `warn`, once per process for each `key` (an invalid `NAME=value`, say), so
 * that every part reading the same variable does not repeat it.
 */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  warn(message);
}
