import type { TraceState } from '@opentelemetry/api';

/** Hex digits of the 56-bit randomness and threshold of consistent probability sampling. */
const DIGITS = 14;
const RANDOMNESS = /^[0-9a-f]{14}$/;

/**
 * The rejection threshold of `ratio` as 14 lowercase hex digits:
 * `(1 - ratio) × 2^56`, rounded. `undefined` for a ratio of 0, which keeps
 * nothing (2^56 has no 14-digit form).
 */
export function ratioThreshold(ratio: number): string | undefined {
  if (ratio <= 0) return undefined;
  const full = 2n ** 56n;
  const kept = BigInt(Math.round(ratio * 2 ** 56));
  const threshold = kept >= full ? 0n : full - kept;
  return threshold.toString(16).padStart(DIGITS, '0');
}

/**
 * The 56 random bits a trace's sampling decisions compare: the explicit
 * randomness `rv` of the OpenTelemetry trace state entry (`ot=rv:…`) when
 * there is one, else the 14 last hex digits of the trace id (W3C Trace
 * Context Level 2).
 */
export function traceRandomness(traceId: string, traceState?: TraceState): string {
  const ot = traceState?.get('ot');
  if (ot !== undefined) {
    for (const field of ot.split(';')) {
      if (field.startsWith('rv:')) {
        const rv = field.slice(3);
        if (RANDOMNESS.test(rv)) return rv;
      }
    }
  }
  return traceId.slice(-DIGITS).toLowerCase();
}

/**
 * OpenTelemetry's consistent probability sampling at a fixed ratio: a trace
 * is kept when its randomness is at least the rejection threshold. Every
 * process that samples a trace at the same ratio, by the same rule, makes
 * the same decision for it; one at a higher ratio keeps a superset.
 *
 * @example
 * new ConsistentRatio(0.1).keeps('4bf92f3577b34da6a3ce929d0e0e4736'); // false: ce929d0e0e4736 < e6666666666666
 */
export class ConsistentRatio {
  /** The share of traces kept, 0 to 1. */
  readonly ratio: number;
  readonly #threshold: string | undefined;

  constructor(ratio: number) {
    this.ratio = ratio;
    this.#threshold = ratioThreshold(ratio);
  }

  /** Whether the trace `traceId` (with the trace state it carries) is kept. */
  keeps(traceId: string, traceState?: TraceState): boolean {
    const threshold = this.#threshold;
    if (threshold === undefined) return false;
    // Strings of the same length in lowercase hex compare as the numbers they spell.
    return traceRandomness(traceId, traceState) >= threshold;
  }
}
