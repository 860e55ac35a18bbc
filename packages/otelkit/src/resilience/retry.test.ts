import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withTimeout } from '../context/with-timeout.ts';
import { CategorizedError } from '../errors/categorized-error.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { retry } from './retry.ts';
import { isRetryError, RetryError } from './retry-error.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
  vi.useFakeTimers();
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await telemetry.shutdown();
});

/** A failure the default policy retries (network, per `classifyError`). */
const flaky = (message = 'connection reset') =>
  Object.assign(new Error(message), { code: 'ECONNRESET' });

/** Runs `fn` to completion while advancing fake time, and returns the `retry` events of its span. */
async function traced<T>(
  fn: () => Promise<T>,
): Promise<{ result: PromiseSettledResult<T>; delays: number[] }> {
  const run = trace
    .getTracer('test')
    .startActiveSpan('op', (span) => fn().finally(() => span.end()));
  const settled = Promise.allSettled([run]);
  await vi.runAllTimersAsync();
  const [result] = await settled;
  const events = telemetry.findSpan('op')?.events.filter((e) => e.name === 'retry') ?? [];
  return { result: result!, delays: events.map((e) => e.attributes?.['retry.delay_ms'] as number) };
}

describe('retry()', () => {
  it('returns the first success without waiting', async () => {
    const fn = vi.fn(async () => 'ok');
    await expect(retry(fn)).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('retries retryable failures and passes each attempt its number and signal', async () => {
    const attempts: number[] = [];
    const signals: AbortSignal[] = [];
    const { result } = await traced(() =>
      retry(async ({ number, signal }) => {
        attempts.push(number);
        signals.push(signal);
        if (number < 3) throw flaky();
        return 'done';
      }),
    );
    expect(result).toEqual({ status: 'fulfilled', value: 'done' });
    expect(attempts).toEqual([1, 2, 3]);
    expect(new Set(signals).size).toBe(1);
  });

  it('adds a retry event per retry with the attempt, the delay and the error type', async () => {
    await traced(() =>
      retry(
        async ({ number }) => {
          if (number < 3) throw flaky();
        },
        { jitter: 'none' },
      ),
    );
    const events = telemetry.findSpan('op')?.events.filter((e) => e.name === 'retry');
    expect(events?.map((e) => e.attributes)).toEqual([
      { 'retry.attempt': 2, 'retry.delay_ms': 100, 'error.type': 'ECONNRESET' },
      { 'retry.attempt': 3, 'retry.delay_ms': 200, 'error.type': 'ECONNRESET' },
    ]);
  });

  it.each([
    ['full', 0, 1],
    ['equal', 0.5, 1],
    ['none', 1, 1],
  ] as const)('keeps %s jitter delays inside their envelope', async (jitter, low, high) => {
    const policy = {
      maxAttempts: 7,
      initialDelayMs: 100,
      multiplier: 2,
      maxDelayMs: 1_000,
      jitter,
    };
    const caps = [100, 200, 400, 800, 1_000, 1_000];
    for (let run = 0; run < 20; run++) {
      telemetry.reset();
      const { delays } = await traced(() =>
        retry(async () => {
          throw flaky();
        }, policy),
      );
      expect(delays).toHaveLength(caps.length);
      delays.forEach((delay, i) => {
        expect(delay).toBeGreaterThanOrEqual(caps[i]! * low);
        expect(delay).toBeLessThanOrEqual(caps[i]! * high);
      });
    }
  });

  it('waits exactly what a Retry-After: 2 header asks for', async () => {
    const fn = vi.fn(async ({ number }: { number: number }) => {
      if (number > 1) return 'ok';
      throw Object.assign(new Error('slow down'), {
        status: 429,
        response: { status: 429, headers: new Headers({ 'Retry-After': '2' }) },
      });
    });
    const run = retry(fn);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(run).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('honours a Retry-After date, a Node headers object and retryAfterMs', async () => {
    // HTTP dates have whole seconds.
    vi.setSystemTime(new Date('2026-03-01T12:00:00.000Z'));
    const at = new Date(Date.now() + 3_000).toUTCString();
    const errors = [
      Object.assign(flaky(), { response: { headers: { 'retry-after': at } } }),
      Object.assign(flaky(), { retryAfterMs: 500 }),
    ];
    const { delays } = await traced(() =>
      retry(async ({ number }) => {
        const error = errors[number - 1];
        if (error) throw error;
      }),
    );
    expect(delays).toEqual([3_000, 500]);
  });

  it('gives up with a RetryError when Retry-After exceeds maxDelayMs', async () => {
    const error = Object.assign(flaky(), { response: { headers: { 'retry-after': '60' } } });
    const { result } = await traced(() =>
      retry(async () => {
        throw error;
      }),
    );
    expect(result.status).toBe('rejected');
    const reason = (result as PromiseRejectedResult).reason;
    expect(isRetryError(reason)).toBe(true);
    expect(reason).toMatchObject({ attempts: 1, cause: error });
  });

  it('rethrows a non-retryable error unchanged, at once', async () => {
    const error = new CategorizedError('invalid email', { category: 'validation' });
    const fn = vi.fn(async () => {
      throw error;
    });
    await expect(retry(fn)).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('uses retryIf to decide what is worth another attempt', async () => {
    const fn = vi.fn(async () => {
      throw new Error('custom');
    });
    const { result } = await traced(() => retry(fn, { retryIf: () => true, maxAttempts: 2 }));
    expect(result.status).toBe('rejected');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('rejects with a RetryError of every attempt once they are exhausted', async () => {
    const errors = [flaky('one'), flaky('two'), flaky('three')];
    const { result } = await traced(() =>
      retry(async ({ number }) => {
        throw errors[number - 1];
      }),
    );
    const reason = (result as PromiseRejectedResult).reason as RetryError;
    expect(reason).toBeInstanceOf(RetryError);
    expect(reason.name).toBe('RetryError');
    expect(reason.attempts).toBe(3);
    expect(reason.errors).toEqual(errors);
    expect(reason.cause).toBe(errors[2]);
    expect(reason.message).toBe('Gave up after 3 attempts: three');
  });

  it('rejects at once with signal.reason when the signal aborts during a wait', async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    const fn = vi.fn(async () => {
      throw flaky();
    });
    const run = retry(fn, { signal: controller.signal, initialDelayMs: 5_000, jitter: 'none' });
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('follows the context signal by default: a deadline ends the backoff at once', async () => {
    const cause = new Error('request budget spent');
    const fn = vi.fn(async () => {
      throw flaky();
    });
    const run = withTimeout(
      1_000,
      () => retry(fn, { initialDelayMs: 10_000, jitter: 'none', maxAttempts: 5 }),
      { cause },
    );
    const rejected = expect(run).rejects.toBe(cause);
    await vi.advanceTimersByTimeAsync(1_000);
    await rejected;
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not call fn when the signal has already aborted', async () => {
    const fn = vi.fn(async () => 1);
    const reason = new Error('stopped');
    await expect(retry(fn, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('does not retry once the signal has aborted during an attempt', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const fn = vi.fn(async () => {
      controller.abort(reason);
      throw flaky();
    });
    await expect(retry(fn, { signal: controller.signal })).rejects.toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('stops before a wait that would pass maxElapsedMs', async () => {
    const fn = vi.fn(async () => {
      throw flaky();
    });
    const { result } = await traced(() =>
      retry(fn, { maxAttempts: 10, jitter: 'none', initialDelayMs: 100, maxElapsedMs: 350 }),
    );
    // Waits of 100 and 200 fit in 350 ms; the next one (400) would not.
    expect(fn).toHaveBeenCalledTimes(3);
    expect((result as PromiseRejectedResult).reason).toMatchObject({ attempts: 3 });
  });

  it('turns a synchronous throw into a rejection', async () => {
    const error = new TypeError('bad input');
    await expect(
      retry(() => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  it('rejects an invalid maxAttempts', async () => {
    await expect(retry(async () => 1, { maxAttempts: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});
