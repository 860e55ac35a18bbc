/** A rowid range of `spans` holding spans of one trace. */
export interface Segment {
  first: number;
  last: number;
}

/** Parses a trace's `segments` column (`"first-last first-last"`). */
export function parseSegments(text: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of text.split(' ')) {
    const dash = part.indexOf('-');
    if (dash > 0)
      segments.push({ first: Number(part.slice(0, dash)), last: Number(part.slice(dash + 1)) });
  }
  return segments;
}

/** Sorts ranges and joins those that touch, so that neighbours are deleted in one statement. */
export function mergeSegments(segments: Segment[]): Segment[] {
  const sorted = [...segments].sort((a, b) => a.first - b.first);
  const merged: Segment[] = [];
  for (const segment of sorted) {
    const last = merged.at(-1);
    if (last && segment.first <= last.last + 1) last.last = Math.max(last.last, segment.last);
    else merged.push({ ...segment });
  }
  return merged;
}
