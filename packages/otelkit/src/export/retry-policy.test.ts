import { describe, expect, it } from 'vitest';
import { RetryPolicy } from './retry-policy.ts';

describe('RetryPolicy', () => {
  it('backs off exponentially with full jitter from 1 s with the default budget', () => {
    const highest = new RetryPolicy(60_000, () => 0.999_999);
    expect(highest.delay(1, 0, undefined)).toBeCloseTo(1000, 0);
    expect(highest.delay(2, 0, undefined)).toBeCloseTo(2000, 0);
    expect(highest.delay(3, 0, undefined)).toBeCloseTo(4000, 0);
    expect(highest.delay(10, 0, undefined)).toBeCloseTo(30_000, 0);
    expect(new RetryPolicy(60_000, () => 0).delay(3, 0, undefined)).toBe(0);
  });

  it('waits what Retry-After asked for', () => {
    expect(new RetryPolicy(60_000, () => 0.5).delay(1, 0, 7000)).toBe(7000);
  });

  it('gives up when the wait would end past the total retry time', () => {
    const policy = new RetryPolicy(10_000, () => 0.5);
    expect(policy.delay(1, 9000, 2000)).toBeUndefined();
    expect(policy.delay(1, 7000, 2000)).toBe(2000);
  });

  it('starts with a shorter backoff when the retry time is short, so a few attempts fit', () => {
    expect(new RetryPolicy(500, () => 0.999_999).delay(1, 0, undefined)).toBeCloseTo(50, 0);
  });
});
