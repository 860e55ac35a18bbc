/**
 * The V8 CPU profile format (`.cpuprofile`), as the inspector's `Profiler.stop`
 * returns it and Chrome DevTools and speedscope open it.
 * @module
 */

/** Where a profile node's code lives. */
export interface CallFrame {
  functionName: string;
  scriptId: string;
  /** `file://…` for modules, `node:…` for Node's own code, empty for native code. */
  url: string;
  /** Zero-based. */
  lineNumber: number;
  /** Zero-based. */
  columnNumber: number;
}

/** One node of the call tree. */
export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

/** A V8 CPU profile: a call tree and the node sampled at each tick. */
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds, on the profiled process's monotonic clock. */
  startTime: number;
  endTime: number;
  /** The node id on top of the stack at each sample. */
  samples: number[];
  /** Microseconds from the previous sample (the first from `startTime`). */
  timeDeltas: number[];
}

/** Whether `value` has the shape of a V8 CPU profile. */
export function isCpuProfile(value: unknown): value is CpuProfile {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Partial<CpuProfile>;
  return (
    Array.isArray(p.nodes) &&
    Array.isArray(p.samples) &&
    Array.isArray(p.timeDeltas) &&
    p.samples.length === p.timeDeltas.length &&
    typeof p.startTime === 'number' &&
    typeof p.endTime === 'number' &&
    p.nodes.every(
      (n) =>
        typeof n?.id === 'number' &&
        typeof n.callFrame?.functionName === 'string' &&
        typeof n.callFrame.url === 'string',
    )
  );
}

/**
 * Calls `visit` with each sample's node id and the microseconds it stands for:
 * the time until the next sample (the last one, until the profile's end), as
 * Chrome DevTools counts it.
 */
export function forEachSample(
  profile: CpuProfile,
  visit: (nodeId: number, micros: number) => void,
): void {
  const { samples, timeDeltas } = profile;
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += timeDeltas[i]!;
    const next = i + 1 < samples.length ? at + timeDeltas[i + 1]! : profile.endTime;
    // V8 can report samples slightly out of order; a negative span counts as none.
    visit(samples[i]!, Math.max(0, next - at));
  }
}
