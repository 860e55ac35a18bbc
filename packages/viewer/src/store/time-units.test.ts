import { describe, expect, it } from 'vitest';
import { timeUnits, timeWords } from './time-units.ts';

const minute = 60_000;
const at = (h: number, m: number, s = 0) => Date.UTC(2026, 0, 5, h, m, s);

describe('timeUnits', () => {
  it('covers a range with whole hours inside, tens of minutes and minutes at the edges, newest first', () => {
    const units = timeUnits(at(9, 47, 30), at(12, 3, 10));
    expect(units.map((u) => u.word[1])).toEqual([
      // 12:03, 12:02, 12:01, 12:00, then 11:00–12:00, 10:00–11:00, then 9:50–10:00, 9:49 … 9:47
      'n',
      'n',
      'n',
      'n',
      'h',
      'h',
      't',
      'n',
      'n',
      'n',
    ]);
    expect(units[0]).toMatchObject({ startMs: at(12, 3), endMs: at(12, 4) });
    expect(units.at(-1)).toMatchObject({ startMs: at(9, 47), endMs: at(9, 48) });
    // Every minute of the range is in exactly one unit.
    const covered = units.flatMap((u) =>
      Array.from({ length: (u.endMs - u.startMs) / minute }, (_, i) => u.startMs + i * minute),
    );
    expect(covered.sort((a, b) => a - b)).toEqual(
      Array.from(
        { length: (at(12, 3) - at(9, 47)) / minute + 1 },
        (_, i) => at(9, 47) + i * minute,
      ),
    );
  });

  it('names the units a record belongs to with the words of its time', () => {
    const words = timeWords(at(10, 25, 40)).split(' ');
    const units = timeUnits(at(8, 0), at(13, 0) - 1);
    const holding = units.filter((u) => u.startMs <= at(10, 25, 40) && at(10, 25, 40) < u.endMs);
    expect(holding).toHaveLength(1);
    expect(words).toContain(holding[0]!.word);
  });
});
