/** A value axis: its range and the values to label on it. */
export interface ChartScale {
  min: number;
  max: number;
  ticks: number[];
}

// The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value`.
function niceStep(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * An axis from zero (or below, for negative values) to the largest value, in about `count`
 * round steps: `[0, 25, 50, 75, 100]`, `[-40, -20, 0, 20]`.
 */
export function chartScale(values: readonly number[], count = 4): ChartScale {
  let low = 0;
  let high = 0;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low === high) high = low + 1;
  const step = niceStep((high - low) / count);
  const min = Math.floor(low / step) * step;
  const max = Math.ceil(high / step) * step;
  const ticks: number[] = [];
  for (let i = 0; min + i * step <= max + step / 1e6; i++) {
    ticks.push(Number((min + i * step).toPrecision(12)));
  }
  return { min, max, ticks };
}
