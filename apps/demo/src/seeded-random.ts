/**
 * A small seeded pseudo-random generator (mulberry32): the demo's load mix and
 * its flaky mail provider draw from it, so a run with the same `--seed` makes
 * the same choices and every run shows a 400, a retry and a crash.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed of a run: `DEMO_SEED` when set, else 1. */
export function demoSeed(env: NodeJS.ProcessEnv = process.env): number {
  const seed = Number(env.DEMO_SEED ?? 1);
  if (!Number.isInteger(seed))
    throw new Error(`DEMO_SEED must be an integer, got "${env.DEMO_SEED}"`);
  return seed;
}
