import { createTraceState } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { ConsistentRatio, ratioThreshold, traceRandomness } from './consistent-ratio.ts';
import { SeededIds } from './test-support/seeded-ids.ts';

/** A trace id whose 56 random bits are `randomness` (14 hex digits). */
const idWith = (randomness: string) => `0af7651916cd43dd84${randomness}`;

describe('ConsistentRatio', () => {
  it('derives the rejection threshold of the OpenTelemetry specification', () => {
    expect(ratioThreshold(1)).toBe('00000000000000');
    expect(ratioThreshold(0.5)).toBe('80000000000000');
    expect(ratioThreshold(0.25)).toBe('c0000000000000');
    expect(ratioThreshold(0.0625)).toBe('f0000000000000');
    // The specification's 1 % example, to its five digits.
    expect(ratioThreshold(0.01)!.slice(0, 6)).toBe('fd70a3');
    expect(ratioThreshold(0)).toBeUndefined();
  });

  it('keeps a trace whose randomness is at least the threshold, and no other', () => {
    const half = new ConsistentRatio(0.5);
    expect(half.keeps(idWith('80000000000000'))).toBe(true);
    expect(half.keeps(idWith('7fffffffffffff'))).toBe(false);
    expect(half.keeps(idWith('ffffffffffffff'))).toBe(true);
    expect(half.keeps(idWith('00000000000000'))).toBe(false);
    expect(new ConsistentRatio(1).keeps(idWith('00000000000000'))).toBe(true);
    expect(new ConsistentRatio(0).keeps(idWith('ffffffffffffff'))).toBe(false);
    // The high 64 bits play no part.
    expect(half.keeps(`ffffffffffffffff00${'0'.repeat(14)}`)).toBe(false);
  });

  it('reads uppercase trace ids as the same numbers', () => {
    expect(new ConsistentRatio(0.5).keeps(idWith('8000000000000A').toUpperCase())).toBe(true);
  });

  it('takes the explicit randomness rv of the ot trace state entry over the trace id', () => {
    const half = new ConsistentRatio(0.5);
    const id = idWith('ffffffffffffff');
    expect(traceRandomness(id, createTraceState('ot=th:8;rv:00000000000001,vendor=x'))).toBe(
      '00000000000001',
    );
    expect(half.keeps(id, createTraceState('ot=rv:00000000000001'))).toBe(false);
    // A malformed rv is ignored.
    expect(half.keeps(id, createTraceState('ot=rv:xyz'))).toBe(true);
    expect(half.keeps(id, createTraceState('vendor=rv:00000000000001'))).toBe(true);
  });

  it('keeps the ratio’s share of random trace ids, a superset at a higher ratio', () => {
    const ids = new SeededIds(7);
    const traceIds = Array.from({ length: 20_000 }, () => ids.generateTraceId());
    const tenth = traceIds.filter((id) => new ConsistentRatio(0.1).keeps(id));
    const quarter = new Set(traceIds.filter((id) => new ConsistentRatio(0.25).keeps(id)));
    expect(tenth.length / traceIds.length).toBeCloseTo(0.1, 1);
    expect(quarter.size / traceIds.length).toBeCloseTo(0.25, 1);
    expect(tenth.every((id) => quarter.has(id))).toBe(true);
  });
});
