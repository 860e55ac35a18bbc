import { hasBrand } from '../internal/brand.ts';

const BRAND = Symbol.for('otelkit.SloFileError');

/** Thrown for an invalid SLO file; the message names the field, its value and what was expected. */
export class SloFileError extends Error {
  override readonly name = 'SloFileError';
  /** The path of the invalid field, e.g. `objectives[1].thresholdMs`. */
  readonly field: string;
  readonly [BRAND] = true;

  constructor(field: string, value: unknown, expected: string) {
    super(`invalid SLO file: ${field} = ${describe(value)}: ${expected}`);
    this.field = field;
  }
}

/** True for a `SloFileError`, even one from another installed copy of otelkit. */
export function isSloFileError(error: unknown): error is SloFileError {
  return hasBrand(error, BRAND);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
