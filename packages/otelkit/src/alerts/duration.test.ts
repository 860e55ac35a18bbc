import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('Prometheus durations', () => {
  it.each([
    ['30d', 2_592_000_000],
    ['1h30m', 5_400_000],
    ['5m', 300_000],
    ['250ms', 250],
    ['1w', 604_800_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '30', '30 d', '1.5h', '0s', '-5m', 'd'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('writes any whole number of milliseconds so that it reads back the same', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 * 86_400_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
      { seed: 42 },
    );
  });
});
