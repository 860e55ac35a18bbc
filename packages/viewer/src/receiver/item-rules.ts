/** The largest time SQLite's signed 64-bit integers hold: 2262-04-11, in nanoseconds. */
export const maxStoredNs = 2n ** 63n - 1n;

/** What the receiver checks of every item's times. */
export interface ItemRules {
  /** Items older than this (ns since the epoch) are refused: retention would remove them. */
  oldestNs: bigint;
  /** The retention as the refusal names it: `--max-age (168 h)`. */
  maxAge: string;
}

/** The rules for items arriving now, with telemetry kept `maxAgeMs`. */
export function itemRules(maxAgeMs: number, nowMs = Date.now()): ItemRules {
  const hours = Number((maxAgeMs / 3_600_000).toPrecision(4));
  return {
    oldestNs: BigInt(Math.max(0, Math.floor(nowMs - maxAgeMs))) * 1_000_000n,
    maxAge: `--max-age (${hours} h)`,
  };
}

/** A refused item's reason and its kind, or undefined when its times can be stored. */
export type TimeProblem = { reason: string; kind: string } | undefined;

/**
 * Checks the times of an item: each must fit the store, and `age` (the time retention goes by)
 * must be within the retention.
 */
export function timeProblem(
  rules: ItemRules,
  times: Record<string, bigint>,
  age: [field: string, ns: bigint],
): TimeProblem {
  for (const [field, ns] of Object.entries(times)) {
    if (ns > maxStoredNs) {
      return {
        reason: `${field} ${ns} is past the latest time the viewer stores (${maxStoredNs} ns, in 2262)`,
        kind: 'a time past 2262',
      };
    }
  }
  const [field, ns] = age;
  if (ns < rules.oldestNs) {
    return {
      reason: `older than ${rules.maxAge}: ${field} is ${new Date(Number(ns / 1_000_000n)).toISOString()}`,
      kind: `older than ${rules.maxAge}`,
    };
  }
  return undefined;
}
