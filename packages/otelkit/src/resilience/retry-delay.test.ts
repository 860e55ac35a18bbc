import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, retryAfterHint } from './retry-delay.ts';

describe('backoffDelay()', () => {
  it('grows by the multiplier and stops at maxDelayMs', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 100, 3, 2_000, 'none'));
    expect(delays).toEqual([100, 300, 900, 2_000, 2_000, 2_000]);
  });

  it('reaches both ends of each jitter envelope', () => {
    const low = () => 0;
    const high = () => 1;
    expect([
      backoffDelay(2, 100, 2, 10_000, 'full', low),
      backoffDelay(2, 100, 2, 10_000, 'full', high),
    ]).toEqual([0, 200]);
    expect([
      backoffDelay(2, 100, 2, 10_000, 'equal', low),
      backoffDelay(2, 100, 2, 10_000, 'equal', high),
    ]).toEqual([100, 200]);
  });
});

describe('retryAfterHint()', () => {
  const now = Date.UTC(2026, 0, 1);

  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter(new Date(now + 7_000).toUTCString(), now)).toBe(7_000);
    expect(parseRetryAfter(new Date(now - 7_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('finds the hint on a wrapped error, in fetch and Node header shapes', () => {
    const fetchLike = { response: { headers: new Headers({ 'retry-after': '1' }) } };
    const nodeLike = { response: { headers: { 'Retry-After': ['4'] } } };
    expect(retryAfterHint(new Error('outer', { cause: fetchLike }), now)).toBe(1_000);
    expect(retryAfterHint(nodeLike, now)).toBe(4_000);
    expect(retryAfterHint({ retryAfterMs: 250 }, now)).toBe(250);
    expect(retryAfterHint(new Error('none'), now)).toBeUndefined();
    expect(retryAfterHint('a string', now)).toBeUndefined();
  });

  it('survives hostile headers', () => {
    const hostile = {
      response: {
        headers: new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('trap');
            },
          },
        ),
      },
    };
    expect(retryAfterHint(hostile, now)).toBeUndefined();
  });
});
