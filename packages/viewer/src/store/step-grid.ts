/** Equal steps covering a time range: the x axis of a chart. */
export interface StepGrid {
  /** Start of the first step, in ms since the epoch. */
  startMs: number;
  stepMs: number;
  steps: number;
  /** End of the range: the last step may stop short of a whole step. */
  endMs: number;
}

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const niceSteps = [
  second,
  5 * second,
  10 * second,
  15 * second,
  30 * second,
  minute,
  2 * minute,
  5 * minute,
  10 * minute,
  15 * minute,
  30 * minute,
  hour,
  2 * hour,
  3 * hour,
  6 * hour,
  12 * hour,
  24 * hour,
];
const maxSteps = 1_000;
const defaultSteps = 60;

/**
 * The steps of `[fromMs, toMs]`: `stepMs` when given, else a round step giving about 60 points;
 * never finer than `minStepMs` (a multiple of it) nor more than 1,000 steps.
 */
export function stepGrid(
  fromMs: number,
  toMs: number,
  stepMs: number | undefined,
  minStepMs = second,
): StepGrid {
  const span = Math.max(toMs - fromMs, 1);
  let step = stepMs ?? niceSteps.find((s) => s >= span / defaultSteps) ?? 7 * 24 * hour;
  step = Math.max(step, minStepMs, Math.ceil(span / maxSteps));
  step = Math.ceil(step / minStepMs) * minStepMs;
  const startMs = Math.floor(fromMs / step) * step;
  return {
    startMs,
    stepMs: step,
    steps: Math.max(1, Math.floor((toMs - startMs) / step) + 1),
    endMs: toMs,
  };
}

/**
 * The step a data point at `timeMs` reports on: the one whose end it is at or before, since a
 * point tells what happened up to its time (a step covers `(start, end]`; may be outside
 * `[0, steps)`).
 */
export function stepEndingAt(grid: StepGrid, timeMs: number): number {
  return Math.ceil((timeMs - grid.startMs) / grid.stepMs) - 1;
}

/** The step `timeMs` falls in (may be outside `[0, steps)`). */
export function stepOf(grid: StepGrid, timeMs: number): number {
  return Math.floor((timeMs - grid.startMs) / grid.stepMs);
}

/** Seconds of step `step` within the range (the last step may be partial), at least 1 ms. */
export function stepSeconds(grid: StepGrid, step: number): number {
  const start = grid.startMs + step * grid.stepMs;
  return Math.max(Math.min(grid.stepMs, grid.endMs - start), 1) / 1000;
}
