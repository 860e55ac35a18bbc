import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { currentSignal } from './current-signal.ts';
import { withSignal } from './with-signal.ts';
import { withDeadline, withTimeout } from './with-timeout.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
  vi.useFakeTimers();
});
afterEach(async () => {
  vi.useRealTimers();
  await telemetry.shutdown();
});

const never = () => new Promise<never>(() => {});

describe('withTimeout()', () => {
  it('aborts the signal and rejects with a TimeoutError when the time runs out', async () => {
    let seen: AbortSignal | undefined;
    const run = withTimeout(500, (signal) => {
      seen = signal;
      return never();
    });
    const outcome = expect(run).rejects.toMatchObject({ name: 'TimeoutError' });
    await vi.advanceTimersByTimeAsync(499);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await outcome;
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(DOMException);
    expect(seen?.reason).toMatchObject({ name: 'TimeoutError' });
  });

  it('uses the cause as the signal reason and the rejection (WithDeadlineCause)', async () => {
    const cause = new Error('inventory lookup exceeded its 200 ms budget');
    let seen: AbortSignal | undefined;
    const run = withTimeout(
      200,
      (signal) => {
        seen = signal;
        return never();
      },
      { cause },
    );
    const outcome = expect(run).rejects.toBe(cause);
    await vi.advanceTimersByTimeAsync(200);
    await outcome;
    expect(seen?.reason).toBe(cause);
  });

  it("brings the deadline's cause to a callee three async calls deep through currentSignal()", async () => {
    const cause = new Error('checkout deadline');
    const reasons: unknown[] = [];
    const charge = async () => {
      await Promise.resolve();
      const signal = currentSignal();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      reasons.push(signal.reason);
    };
    const pay = async () => {
      await Promise.resolve();
      await charge();
    };
    const checkout = async () => {
      await pay();
    };
    const run = withTimeout(1_000, () => checkout(), { cause });
    const outcome = expect(run).rejects.toBe(cause);
    await vi.advanceTimersByTimeAsync(1_000);
    await outcome;
    expect(reasons).toEqual([cause]);
  });

  it('rejects at the deadline even when fn ignores the signal', async () => {
    let finished = false;
    const run = withTimeout(100, async () => {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      finished = true;
      return 'late';
    });
    const outcome = expect(run).rejects.toMatchObject({ name: 'TimeoutError' });
    await vi.advanceTimersByTimeAsync(100);
    await outcome;
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(finished).toBe(true);
  });

  it("settles with fn's value and clears its timer when fn settles first", async () => {
    const run = withTimeout(60_000, async (signal) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return signal.aborted ? 'aborted' : 'done';
    });
    await vi.advanceTimersByTimeAsync(10);
    await expect(run).resolves.toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it("passes fn's error through unchanged, thrown or rejected, and clears the timer", async () => {
    const error = new Error('boom');
    await expect(
      withTimeout(1_000, () => {
        throw error;
      }),
    ).rejects.toBe(error);
    await expect(withTimeout(1_000, () => Promise.reject(error))).rejects.toBe(error);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts with the parent reason when the surrounding context is cancelled first', async () => {
    const outerCause = new Error('request deadline');
    let inner: AbortSignal | undefined;
    const run = withTimeout(
      100,
      () =>
        withTimeout(10_000, (signal) => {
          inner = signal;
          return never();
        }),
      { cause: outerCause },
    );
    const outcome = expect(run).rejects.toBe(outerCause);
    await vi.advanceTimersByTimeAsync(100);
    await outcome;
    expect(inner?.reason).toBe(outerCause);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not call fn when the context is already cancelled', async () => {
    const parent = new AbortController();
    const reason = new Error('client went away');
    parent.abort(reason);
    const fn = vi.fn(async () => 'ran');
    await expect(withSignal(parent.signal, () => withTimeout(1_000, fn))).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('leaves no listener behind on a long-lived parent signal', async () => {
    const shutdown = new AbortController();
    await withSignal(shutdown.signal, async () => {
      for (let i = 0; i < 100; i++) await withTimeout(1_000, async () => i);
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('chains timers for timeouts longer than setTimeout allows', async () => {
    const run = withTimeout(3_000_000_000, () => never());
    let settled = false;
    run.catch(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(2_999_999_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(run).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('rejects with a RangeError for a NaN timeout', async () => {
    await expect(withTimeout(Number.NaN, async () => 1)).rejects.toBeInstanceOf(RangeError);
  });
});

describe('withDeadline()', () => {
  it('aborts at an absolute time given as a Date or epoch milliseconds', async () => {
    const cause = new Error('batch window closed');
    const at = new Date(Date.now() + 5_000);
    const byDate = withDeadline(at, () => never(), { cause });
    const byNumber = withDeadline(at.getTime(), () => never());
    const outcomes = Promise.all([
      expect(byDate).rejects.toBe(cause),
      expect(byNumber).rejects.toMatchObject({ name: 'TimeoutError' }),
    ]);
    await vi.advanceTimersByTimeAsync(5_000);
    await outcomes;
  });

  it('rejects at once without calling fn when the deadline has passed', async () => {
    const fn = vi.fn(async () => 1);
    await expect(withDeadline(Date.now() - 1, fn)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('timers', () => {
  it('never keep the process alive: the deadline timer is unref’d', async () => {
    vi.useRealTimers();
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timeouts();
    const parent = new AbortController();
    const run = withSignal(parent.signal, () => withTimeout(60_000, () => never()));
    expect(timeouts()).toBe(before);
    parent.abort(new Error('stop'));
    await expect(run).rejects.toThrow('stop');
  });
});
