import { hasBrand } from '../internal/brand.ts';

const BRAND = Symbol.for('otelkit.SloFileError');

const PREFIX = 'invalid SLO file: ';

/**
 * Thrown for an invalid SLO file; the message names the field, its value and
 * what was expected, for every invalid field of the file.
 */
export class SloFileError extends Error {
  override readonly name = 'SloFileError';
  /** The path of the (first) invalid field, e.g. `objectives[1].thresholdMs`. */
  readonly field: string;
  /** Every invalid field of the file, one error each: this one alone when there is one. */
  readonly problems: readonly SloFileError[];
  readonly [BRAND] = true;
  readonly #value: unknown;
  readonly #expected: string;

  /** `others`: the file's further problems, which the message lists after this one. */
  constructor(
    field: string,
    value: unknown,
    expected: string,
    options: { others?: readonly SloFileError[] } = {},
  ) {
    const own = `${field} = ${describe(value)}: ${expected}`;
    const others = options.others ?? [];
    super(
      others.length === 0
        ? `${PREFIX}${own}`
        : `${PREFIX}${others.length + 1} problems\n  ${[own, ...others.map((o) => o.message.slice(PREFIX.length))].join('\n  ')}`,
    );
    this.field = field;
    this.problems = [this, ...others];
    this.#value = value;
    this.#expected = expected;
  }

  /** One error for all of `problems` (at least one): the first, listing the others. */
  static all(problems: readonly SloFileError[]): SloFileError {
    const [first, ...others] = problems;
    if (others.length === 0) return first!;
    return new SloFileError(first!.field, first!.#value, first!.#expected, { others });
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
