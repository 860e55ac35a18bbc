import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
  vi.resetModules();
});

describe('preciseNow()', () => {
  it('has sub-millisecond precision and never goes back between checks', async () => {
    const { preciseNow } = await import('./clock.ts');
    const readings = Array.from({ length: 200 }, () => preciseNow());
    expect(readings.some((ms) => !Number.isInteger(ms))).toBe(true);
    for (let i = 1; i < readings.length; i++)
      expect(readings[i]).toBeGreaterThanOrEqual(readings[i - 1]!);
  });

  it('stays within a few milliseconds of the wall clock', async () => {
    const { preciseNow } = await import('./clock.ts');
    const before = Date.now();
    const now = preciseNow();
    const after = Date.now();
    expect(now).toBeGreaterThanOrEqual(before - 2);
    expect(now).toBeLessThanOrEqual(after + 2);
  });

  it('follows the wall clock when it moves away from the monotonic clock', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    vi.setSystemTime(1_000_000);
    const { preciseNow } = await import('./clock.ts');
    expect(preciseNow()).toBe(1_000_000);
    // An NTP step: the wall clock jumps ahead by a minute while a second passes.
    vi.advanceTimersByTime(1500);
    vi.setSystemTime(1_061_500);
    expect(preciseNow()).toBe(1_061_500);
    vi.advanceTimersByTime(10);
    expect(preciseNow()).toBe(1_061_510);
  });
});
