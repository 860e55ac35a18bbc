import { el } from './dom.ts';

/** A time range in milliseconds since the epoch; an end not given is now. */
export interface TimeRange {
  since?: number;
  until?: number;
}

const minute = 60_000;
const presets: [value: string, label: string, ms: number | undefined][] = [
  ['5m', 'Last 5 minutes', 5 * minute],
  ['1h', 'Last hour', 60 * minute],
  ['6h', 'Last 6 hours', 360 * minute],
  ['24h', 'Last 24 hours', 1440 * minute],
  ['all', 'All time', undefined],
];

/**
 * The range a page's query asks for: `range=5m|1h|6h|24h|all` (relative to now, so a live page
 * moves with time) or `from=` and `to=` (ms since the epoch).
 */
export function timeRange(query: URLSearchParams, now = Date.now()): TimeRange {
  const from = Number(query.get('from'));
  const to = Number(query.get('to'));
  if (query.get('from') || query.get('to')) {
    return {
      since: Number.isFinite(from) && from > 0 ? from : undefined,
      until: Number.isFinite(to) && to > 0 ? to : undefined,
    };
  }
  const preset = presets.find(([value]) => value === query.get('range'));
  return preset?.[2] === undefined ? {} : { since: now - preset[2], until: now };
}

/** Adds `since` and `until` of `range` to an API query. */
export function addRange(params: URLSearchParams, range: TimeRange): URLSearchParams {
  if (range.since !== undefined) params.set('since', String(Math.floor(range.since)));
  if (range.until !== undefined) params.set('until', String(Math.ceil(range.until)));
  return params;
}

/** True when the query narrows time (a preset other than all, or from/to). */
export function hasRange(query: URLSearchParams): boolean {
  return !!(query.get('from') || query.get('to') || (query.get('range') ?? 'all') !== 'all');
}

/** The range as words: "in the last hour", "between … and …". */
export function describeRange(query: URLSearchParams): string {
  if (query.get('from') || query.get('to')) return 'in the chosen time range';
  const preset = presets.find(([value]) => value === query.get('range'));
  return preset && preset[0] !== 'all' ? `in the ${preset[1].toLowerCase()}` : '';
}

/**
 * The time range control: presets, and "Custom" with from/to inputs. `onChange` receives the
 * page's query with the range replaced.
 */
export function timeRangeControl(
  query: URLSearchParams,
  onChange: (next: URLSearchParams) => void,
): HTMLElement {
  const custom = !!(query.get('from') || query.get('to'));
  const choice = el('select', { id: 'filter-range', title: 'Time range' });
  choice.setAttribute('aria-label', 'Time range');
  for (const [value, label] of presets) {
    choice.append(
      new Option(label, value, false, !custom && value === (query.get('range') ?? 'all')),
    );
  }
  choice.append(new Option('Custom…', 'custom', false, custom));
  const from = dateInput('filter-from', 'From', query.get('from'));
  const to = dateInput('filter-to', 'To', query.get('to'));
  const bounds = el(
    'span',
    { className: custom ? 'range-bounds' : 'range-bounds hidden' },
    from,
    to,
  );
  const commit = () => {
    const next = new URLSearchParams(query);
    next.delete('range');
    next.delete('from');
    next.delete('to');
    next.delete('offset');
    if (choice.value === 'custom') {
      const since = from.value ? new Date(from.value).getTime() : Date.now() - 60 * minute;
      const until = to.value ? new Date(to.value).getTime() : undefined;
      next.set('from', String(since));
      if (until !== undefined) next.set('to', String(until));
    } else if (choice.value !== 'all') {
      next.set('range', choice.value);
    }
    onChange(next);
  };
  choice.addEventListener('change', () => {
    if (choice.value === 'custom') bounds.classList.remove('hidden');
    commit();
  });
  // Not from inputs of a page already swapped out (see `textInput`).
  for (const input of [from, to]) {
    input.addEventListener('change', () => {
      if (input.isConnected) commit();
    });
  }
  return el('span', { className: 'time-range' }, choice, bounds);
}

function dateInput(id: string, title: string, ms: string | null): HTMLInputElement {
  const input = el('input', { id, title });
  input.type = 'datetime-local';
  input.setAttribute('aria-label', title);
  const value = Number(ms);
  if (ms && Number.isFinite(value)) {
    const local = new Date(value - new Date(value).getTimezoneOffset() * minute);
    input.value = local.toISOString().slice(0, 16);
  }
  return input;
}
