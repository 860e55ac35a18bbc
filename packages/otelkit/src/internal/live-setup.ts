// What `otelkit/setup` keeps on globalThis while a setup is live, so that two
// installed copies of otelkit still set up once, and so that the core entry
// (`captureCrashes()`) can reach it without importing the SDK.

/** The part of a live setup the core entry reads. */
export interface LiveFlush {
  /** The flush of a process about to end: a backend nobody listens at is not waited for. */
  readonly lastFlush: () => Promise<void>;
}

/** The global slot of the live setup. */
export const LIVE_SETUP = Symbol.for('otelkit.setup.live');

/** The live setup, if any, typed as `T` by its owner. */
export function liveSetup<T = Partial<LiveFlush>>(): T | undefined {
  return (globalThis as { [LIVE_SETUP]?: T })[LIVE_SETUP];
}
