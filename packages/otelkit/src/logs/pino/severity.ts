import { SeverityNumber } from '@opentelemetry/api';

/**
 * The OpenTelemetry severity of a pino level number: pino's standard levels
 * (10 trace … 60 fatal) map onto the first number of each OpenTelemetry range,
 * and custom levels in between onto the range they fall in.
 */
export function severityOf(level: number): SeverityNumber {
  if (level >= 60) return SeverityNumber.FATAL;
  if (level >= 50) return SeverityNumber.ERROR;
  if (level >= 40) return SeverityNumber.WARN;
  if (level >= 30) return SeverityNumber.INFO;
  if (level >= 20) return SeverityNumber.DEBUG;
  if (level >= 1) return SeverityNumber.TRACE;
  return SeverityNumber.UNSPECIFIED;
}

const TEXTS = new Map<number, string>();

/** The severity text of a level: pino's label in upper case (`WARN`), or the number. */
export function severityText(level: number, labels: Readonly<Record<number, string>>): string {
  let text = TEXTS.get(level);
  if (text === undefined) {
    text = (labels[level] ?? String(level)).toUpperCase();
    if (TEXTS.size < 64) TEXTS.set(level, text);
  }
  return text;
}
