import { warnOnce } from '../internal/warn.ts';

/** The environment `setup()` reads; `process.env` unless a test passes another. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Readers for `OTEL_*` variables. As the OpenTelemetry specification asks, an
 * invalid value is reported once, naming the variable, and read as unset so
 * the default applies: a typo in the environment never stops the app.
 */
export function envString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function envChoice<T extends string>(
  env: Env,
  name: string,
  choices: readonly T[],
): T | undefined {
  const value = envString(env, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  invalid(name, value, `one of ${choices.join(', ')}`);
  return undefined;
}

/** A comma-separated list of choices; invalid entries are reported and dropped. */
export function envChoiceList<T extends string>(
  env: Env,
  name: string,
  choices: readonly T[],
): T[] | undefined {
  const value = envString(env, name);
  if (value === undefined) return undefined;
  const picked: T[] = [];
  for (const item of value.split(',')) {
    const entry = item.trim().toLowerCase();
    if ((choices as readonly string[]).includes(entry)) picked.push(entry as T);
    else invalid(name, entry, `one of ${choices.join(', ')}`);
  }
  return picked.length > 0 ? [...new Set(picked)] : undefined;
}

export function envNumber(
  env: Env,
  name: string,
  range: { min: number; max?: number; integer?: boolean },
): number | undefined {
  const raw = envString(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const ok =
    Number.isFinite(value) &&
    value >= range.min &&
    (range.max === undefined || value <= range.max) &&
    (!range.integer || Number.isInteger(value));
  if (ok) return value;
  const bound = range.max === undefined ? `>= ${range.min}` : `in ${range.min}..${range.max}`;
  invalid(name, raw, `a ${range.integer ? 'whole ' : ''}number ${bound}`);
  return undefined;
}

export function envBoolean(env: Env, name: string): boolean | undefined {
  const value = envString(env, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  invalid(name, value, 'true or false');
  return undefined;
}

/** What `envUrl` returns for a variable that is set but not usable. */
export const INVALID = Symbol('invalid');

/** A URL variable: its value, `INVALID` (reported) when it is not an http(s) URL, or unset. */
export type EnvUrl = string | typeof INVALID | undefined;

/** An http(s) URL; `INVALID` (reported) when the variable holds anything else. */
export function envUrl(env: Env, name: string): EnvUrl {
  const value = envString(env, name);
  if (value === undefined) return undefined;
  try {
    const { protocol } = new URL(value);
    if (protocol === 'http:' || protocol === 'https:') return value;
  } catch {
    // Reported below.
  }
  invalid(name, value, 'an http:// or https:// URL');
  return INVALID;
}

function invalid(name: string, value: string, expected: string): void {
  warnOnce(
    `${name}=${value}`,
    `otelkit: ignoring ${name}=${JSON.stringify(value)} (expected ${expected}); using the default`,
  );
}
