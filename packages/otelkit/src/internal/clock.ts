/**
 * The current time in milliseconds since the epoch, with sub-millisecond
 * precision: the wall clock read once, advanced by the monotonic clock.
 *
 * The SDK stamps span starts with `Date.now()`, whole milliseconds, so in a
 * trace of sub-millisecond spans a child can be drawn after an event that
 * happened later. The monotonic clock drifts from the wall clock over hours
 * (NTP slews one, not the other), so the anchor is checked at most once a
 * second and moved when the two disagree by more than `Date.now()`'s own
 * rounding allows.
 */
export function preciseNow(): number {
  return wallTimeAt(performance.now());
}

/**
 * The wall-clock time (epoch milliseconds, sub-millisecond) at `monotonic`, a
 * `performance.now()` reading just taken: a span's start.
 */
export function wallTimeAt(monotonic: number): number {
  const elapsed = monotonic - anchorMonotonic;
  if (elapsed > CHECK_EVERY_MS) return reanchor(monotonic, anchorWall + elapsed);
  return anchorWall + elapsed;
}

/**
 * The end time of something that started at `startTime`, when the monotonic
 * clock read `startMonotonic`: its start plus the monotonic time since, so
 * that its duration is true whatever the wall clock did meanwhile (a step
 * back would otherwise make it negative, a step forward inflate it).
 */
export function endTimeSince(startTime: number, startMonotonic: number): number {
  return startTime + (performance.now() - startMonotonic);
}

const CHECK_EVERY_MS = 1000;
/** `Date.now()` truncates to whole milliseconds: a gap beyond this is drift. */
const MAX_DRIFT_MS = 2;

let anchorWall = Date.now();
let anchorMonotonic = performance.now();

function reanchor(monotonic: number, estimate: number): number {
  const wall = Date.now();
  anchorMonotonic = monotonic;
  anchorWall = Math.abs(wall - estimate) > MAX_DRIFT_MS ? wall : estimate;
  return anchorWall;
}
