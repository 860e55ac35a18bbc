import { hasBrand } from '../internal/brand.ts';

const BRAND = Symbol.for('otelkit.SetupError');

/** Thrown by `setup()` when a code option is invalid; the message names the option and the value. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
  /** The option path that was invalid, e.g. `service.name`. */
  readonly option: string;
  readonly [BRAND] = true;

  constructor(option: string, value: unknown, expected: string) {
    super(`otelkit setup: invalid option ${option} = ${describe(value)}: ${expected}`);
    this.option = option;
  }
}

/** True for a `SetupError`, even one from another installed copy of otelkit. */
export function isSetupError(error: unknown): error is SetupError {
  return hasBrand(error, BRAND);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
