import { type CpuProfile, forEachSample, type ProfileNode } from './cpu-profile.ts';
import { GROUPS, type Group, placeFrame } from './module-group.ts';
import type { FindPackage } from './package-of-file.ts';

/** The self time of one function, charged to one group. */
export interface FunctionCost {
  function: string;
  url: string;
  /** Zero-based, as in the profile. */
  lineNumber: number;
  group: Group;
  micros: number;
}

/** Where the CPU of one or more profiled threads went, in microseconds. */
export interface ProfileAnalysis {
  /** The profiled span of time (the longest thread's). */
  wallMicros: number;
  /** Every sample except `(idle)` and `(program)`. */
  busyMicros: number;
  idleMicros: number;
  /** Native time V8 cannot tie to any JavaScript; reported, not counted as busy. */
  programMicros: number;
  groupMicros: Map<Group, number>;
  /** The parts of "other": a package name, `Node.js internals`, or `unplaced`. */
  otherMicros: Map<string, number>;
  /** Functions by self time, most first. */
  functions: FunctionCost[];
  threads: number;
}

interface Charge {
  group: Group | 'idle' | 'program';
  source: string;
  /** False when no frame on the stack had a module worth a group. */
  placed: boolean;
}

/**
 * Splits the samples of `profiles` (one per thread or process) by group. Each
 * sample is charged to the frame on top of the stack, or, when that frame is
 * native code or a Node internal, to its nearest caller that has a group.
 */
export function analyzeProfiles(profiles: CpuProfile[], findPackage: FindPackage): ProfileAnalysis {
  const analysis: ProfileAnalysis = {
    wallMicros: 0,
    busyMicros: 0,
    idleMicros: 0,
    programMicros: 0,
    groupMicros: new Map(GROUPS.map((g) => [g, 0])),
    otherMicros: new Map(),
    functions: [],
    threads: profiles.length,
  };
  const functions = new Map<string, FunctionCost>();
  for (const profile of profiles) {
    analysis.wallMicros = Math.max(analysis.wallMicros, profile.endTime - profile.startTime);
    const charges = chargesOf(profile, findPackage);
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    forEachSample(profile, (id, micros) => {
      const charge = charges(id);
      const node = nodes.get(id);
      if (charge === undefined || node === undefined) return;
      if (charge.group === 'idle') {
        analysis.idleMicros += micros;
        return;
      }
      if (charge.group === 'program') {
        analysis.programMicros += micros;
        return;
      }
      analysis.busyMicros += micros;
      add(analysis.groupMicros, charge.group, micros);
      if (charge.group === 'other') add(analysis.otherMicros, charge.source, micros);
      const { functionName, url, lineNumber, columnNumber } = node.callFrame;
      const key = `${functionName}\0${url}\0${lineNumber}\0${columnNumber}\0${charge.group}`;
      let cost = functions.get(key);
      if (cost === undefined) {
        cost = {
          function: functionName || '(anonymous)',
          url,
          lineNumber,
          group: charge.group,
          micros: 0,
        };
        functions.set(key, cost);
      }
      cost.micros += micros;
    });
  }
  analysis.functions = [...functions.values()].sort((a, b) => b.micros - a.micros);
  return analysis;
}

/** The charge of each node id, resolved once per node through its callers. */
function chargesOf(profile: CpuProfile, findPackage: FindPackage) {
  const byId = new Map<number, ProfileNode>();
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  const resolved = new Map<number, Charge>();
  const resolve = (id: number): Charge | undefined => {
    const known = resolved.get(id);
    if (known !== undefined) return known;
    // Walk up iteratively: call trees can be deeper than the JavaScript stack.
    const chain: number[] = [];
    let at: number | undefined = id;
    let charge: Charge | undefined;
    while (at !== undefined) {
      const cached = resolved.get(at);
      if (cached !== undefined) {
        charge = cached;
        break;
      }
      const node = byId.get(at);
      if (node === undefined) break;
      const own = placeFrame(node.callFrame, findPackage);
      chain.push(at);
      if (own.group !== undefined) {
        charge = { group: own.group, source: own.source, placed: true };
        resolved.set(at, charge);
        chain.pop();
        break;
      }
      at = parentOf.get(at);
    }
    // Frames below a placed caller take its charge; with none, "other", named
    // after the nearest frame that says at least where it comes from.
    for (let i = chain.length - 1; i >= 0; i--) {
      const node = byId.get(chain[i]!)!;
      const own = placeFrame(node.callFrame, findPackage);
      if (charge === undefined || !charge.placed) {
        const source =
          own.source !== 'unplaced' || charge === undefined ? own.source : charge.source;
        charge = { group: 'other', source, placed: false };
      }
      resolved.set(chain[i]!, charge);
    }
    return charge;
  };
  return resolve;
}

function add<K>(map: Map<K, number>, key: K, micros: number): void {
  map.set(key, (map.get(key) ?? 0) + micros);
}
