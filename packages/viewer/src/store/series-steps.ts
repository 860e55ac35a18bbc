import { type StepGrid, stepEndingAt } from './step-grid.ts';

/** A stored data point of one series, its value still JSON text. */
export interface RawPoint {
  timeMs: number;
  /** Start of the point's aggregation (a new start marks a restarted cumulative series). */
  start: string;
  value: string;
}

/** How to combine the values of a series. */
export interface DeltaOps<V> {
  parse(value: string): V;
  /** `later - earlier`; undefined when the series was reset in between. */
  minus(later: V, earlier: V): V | undefined;
  plus(a: V, b: V): V;
}

/** The last point of each step of the grid (a step ends with the points at its end). */
export function lastPerStep(points: RawPoint[], grid: StepGrid): (RawPoint | undefined)[] {
  const result = new Array<RawPoint | undefined>(grid.steps).fill(undefined);
  for (const point of points) {
    const step = stepEndingAt(grid, point.timeMs);
    if (step >= 0 && step < grid.steps) result[step] = point;
  }
  return result;
}

/**
 * What a series added in each step of the grid. A delta series adds each point's value; a
 * cumulative one adds the difference between the last point of a step and the last point
 * before it, so only those points are parsed. `fetchedFromMs` is where the points begin: a
 * cumulative run that started before then has no baseline, so its first point only sets one.
 */
export function deltaPerStep<V>(
  points: RawPoint[],
  grid: StepGrid,
  cumulative: boolean,
  ops: DeltaOps<V>,
  fetchedFromMs: number,
): (V | undefined)[] {
  const result = new Array<V | undefined>(grid.steps).fill(undefined);
  const add = (step: number, value: V) => {
    if (step < 0 || step >= grid.steps) return;
    const current = result[step];
    result[step] = current === undefined ? value : ops.plus(current, value);
  };
  if (!cumulative) {
    for (const point of points) add(stepEndingAt(grid, point.timeMs), ops.parse(point.value));
    return result;
  }
  let run: string | undefined;
  let baseline: V | undefined;
  for (let i = 0; i < points.length; i++) {
    const point = points[i]!;
    const step = stepEndingAt(grid, point.timeMs);
    if (point.start !== run) {
      run = point.start;
      const startMs = Number(BigInt(point.start) / 1_000_000n);
      // A run without a start time, or begun before the fetched points, starts from its first.
      const known = startMs !== 0 && startMs >= fetchedFromMs;
      baseline = known ? undefined : ops.parse(point.value);
      if (baseline !== undefined) continue;
    }
    const next = points[i + 1];
    const lastOfStep = !next || next.start !== run || stepEndingAt(grid, next.timeMs) !== step;
    if (!lastOfStep) continue;
    const value = ops.parse(point.value);
    const delta = baseline === undefined ? value : (ops.minus(value, baseline) ?? value);
    add(step, delta);
    baseline = value;
  }
  return result;
}
