/** A span of time the log search indexes as one word: an hour, ten minutes or a minute. */
export interface TimeUnit {
  /** Start, in ms since the epoch; the unit ends where the next one starts. */
  startMs: number;
  endMs: number;
  /** The word in the log search for records of this unit. */
  word: string;
}

const minute = 60_000;

/** The words of a record's time: its hour, its ten minutes and its minute. */
export function timeWords(ms: number): string {
  const m = Math.floor(ms / minute);
  return `zh${Math.floor(m / 60)} zt${Math.floor(m / 10)} zn${m}`;
}

/**
 * Units covering every minute that overlaps `[fromMs, toMs]`, the largest that fit (whole
 * hours inside, then tens of minutes, then minutes), newest first. The first and last minutes
 * may reach past the range: their records still need their time compared.
 */
export function timeUnits(fromMs: number, toMs: number): TimeUnit[] {
  const units: TimeUnit[] = [];
  const last = Math.floor(toMs / minute);
  for (let m = Math.floor(fromMs / minute); m <= last; ) {
    if (m % 60 === 0 && m + 59 <= last) {
      units.push({ startMs: m * minute, endMs: (m + 60) * minute, word: `zh${m / 60}` });
      m += 60;
    } else if (m % 10 === 0 && m + 9 <= last) {
      units.push({ startMs: m * minute, endMs: (m + 10) * minute, word: `zt${m / 10}` });
      m += 10;
    } else {
      units.push({ startMs: m * minute, endMs: (m + 1) * minute, word: `zn${m}` });
      m += 1;
    }
  }
  return units.reverse();
}

/** The hour unit holding `ms`. */
export function hourUnit(ms: number): TimeUnit {
  const hour = Math.floor(ms / (60 * minute));
  return { startMs: hour * 60 * minute, endMs: (hour + 1) * 60 * minute, word: `zh${hour}` };
}
