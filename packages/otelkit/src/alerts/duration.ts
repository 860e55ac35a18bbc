/** Milliseconds per unit of a Prometheus duration. */
const UNITS: Readonly<Record<string, number>> = {
  y: 365 * 86_400_000,
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

const DURATION = /^(?:\d+(?:y|w|d|h|ms|m|s))+$/;
const PART = /(\d+)(y|w|d|h|ms|m|s)/g;

/** The milliseconds of a Prometheus duration such as `30d` or `1h30m`, or `undefined` if it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(PART)) ms += Number(amount) * UNITS[unit!]!;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** A Prometheus duration for `ms` (`1h`, `1m30s`, `42s857ms`): exact to the millisecond, so scaled windows stay exact. */
export function formatDuration(ms: number): string {
  let rest = Math.max(1, Math.round(ms));
  let text = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = UNITS[unit]!;
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}
