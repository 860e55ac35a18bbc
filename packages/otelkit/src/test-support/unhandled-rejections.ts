// Captured at import, before a test installs fake timers.
const realSetImmediate = globalThis.setImmediate;

/** Unhandled rejections seen while watching; Vitest also fails the run on any of them. */
export interface RejectionWatch {
  readonly reasons: unknown[];
  /** Lets pending rejections surface (two real event-loop turns), then returns the reasons. */
  settle(): Promise<unknown[]>;
  stop(): void;
}

/** Watches `unhandledRejection` so a test can assert, locally, that none happened. */
export function watchUnhandledRejections(): RejectionWatch {
  const reasons: unknown[] = [];
  const onRejection = (reason: unknown) => reasons.push(reason);
  process.on('unhandledRejection', onRejection);
  return {
    reasons,
    async settle() {
      for (let turn = 0; turn < 2; turn++) await new Promise((r) => realSetImmediate(r));
      return reasons;
    },
    stop: () => process.off('unhandledRejection', onRejection),
  };
}
