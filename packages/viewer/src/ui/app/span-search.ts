import type { Span } from './api-client.ts';
import { button } from './controls.ts';
import { el } from './dom.ts';
import { formatValue, plural } from './format.ts';

/** What the search does to the rows of the waterfall. */
export interface SearchView {
  /** Highlights row `row`, or not. */
  mark(row: number, match: boolean): void;
  /** Brings row `row` forward as the current match (`previous` was, or -1). */
  current(row: number, previous: number): void;
}

// Typing waits this long for the next key before searching: a trace of 10,000 spans is looked
// through once per pause, not once per key.
const settleMs = 120;

/**
 * The search box of a trace: highlights the spans whose name, service, or an attribute key or
 * value holds its text (case-insensitively), and jumps between them with Enter, Shift+Enter or
 * the arrows. `spans` are in the order of the waterfall's rows.
 */
export function spanSearch(spans: Span[], view: SearchView): HTMLElement {
  let texts: string[] | undefined;
  const marked = new Uint8Array(spans.length);
  let matches: number[] = [];
  let position = -1;
  const count = el('span', { className: 'muted', id: 'span-search-count' });
  const where = el('span', { className: 'muted', id: 'span-search-position' });
  const input = el('input', { id: 'span-search', title: 'Find spans' });
  input.type = 'search';
  input.placeholder = 'find spans: name, service, attribute';
  input.setAttribute('aria-label', 'Find spans');

  const run = () => {
    texts ??= spans.map(searchText);
    const text = input.value.trim().toLowerCase();
    matches = [];
    for (let i = 0; i < texts.length; i++) {
      const match = text !== '' && texts[i]!.includes(text) ? 1 : 0;
      if (match) matches.push(i);
      if (match !== marked[i]) {
        marked[i] = match;
        view.mark(i, match === 1);
      }
    }
    position = -1;
    where.textContent = '';
    count.textContent = text
      ? `${matches.length.toLocaleString('en-US')} of ${plural(spans.length, 'span')} match`
      : '';
  };
  const jump = (step: 1 | -1) => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
      run();
    }
    if (matches.length === 0) return;
    const previous = position >= 0 ? matches[position]! : -1;
    position =
      position < 0
        ? step === 1
          ? 0
          : matches.length - 1
        : (position + step + matches.length) % matches.length;
    where.textContent = `${position + 1} / ${matches.length.toLocaleString('en-US')}`;
    view.current(matches[position]!, previous);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      run();
    }, settleMs);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    jump(event.shiftKey ? -1 : 1);
  });
  const previous = button('↑', () => jump(-1), {
    id: 'span-search-prev',
    title: 'Previous match (Shift+Enter)',
  });
  const next = button('↓', () => jump(1), { id: 'span-search-next', title: 'Next match (Enter)' });
  return el('span', { className: 'span-search' }, input, previous, next, count, where);
}

// What the search looks through, lowercased: name, service, and each attribute as key=value.
function searchText(span: Span): string {
  const attributes = span.attributes.map((kv) => `${kv.key}=${formatValue(kv.value)}`);
  return [span.name, span.service, ...attributes].join('\n').toLowerCase();
}
