import type { Span } from './api-client.ts';
import { el } from './dom.ts';
import { formatDuration, kindName, plural } from './format.ts';
import { spanSearch } from './span-search.ts';
import { placeSpans } from './span-tree.ts';

const statusError = 2;
const serviceColors = 8;
// Deeper spans are indented no further: the name stays readable in a chain thousands deep.
const maxIndent = 24;

/** The waterfall of a trace, and how to drive it. */
export interface Waterfall {
  element: HTMLElement;
  /** Marks the row of `spanId` selected and shows it (expanding its ancestors). */
  select(spanId: string): void;
}

/**
 * The trace waterfall: one row per span, nested by parent, bars on the trace's time axis and
 * coloured by service; subtrees collapse and expand, and a search box highlights the spans whose
 * name, service, attribute key or value holds its text and jumps from one to the next. Whatever
 * the trace holds (cycles of parents, a span its own parent, a span id twice, missing parents),
 * each span gets one row, marked with what is odd about it.
 */
export function waterfall(spans: Span[], onSelect: (span: Span) => void): Waterfall {
  let start = BigInt(spans[0]!.startTimeUnixNano);
  let end = BigInt(spans[0]!.endTimeUnixNano);
  for (const span of spans) {
    const from = BigInt(span.startTimeUnixNano);
    const to = BigInt(span.endTimeUnixNano);
    if (from < start) start = from;
    if (to > end) end = to;
  }
  const totalMs = Math.max(Number(end - start) / 1e6, 0.001);
  const services = [...new Set(spans.map((s) => s.service))];
  const colorOf = (service: string) => `svc-${services.indexOf(service) % serviceColors}`;
  const placed = placeSpans(spans);
  const childCount = new Uint32Array(placed.length);
  for (const row of placed) if (row.parent >= 0) childCount[row.parent]!++;
  const collapsed = new Uint8Array(placed.length);
  const hidden = new Uint8Array(placed.length);
  const rows: HTMLElement[] = [];
  const rowOfSpan = new Map<string, number>();

  // Parents come before their children: one pass decides what a collapse hides.
  const layout = () => {
    for (let i = 0; i < placed.length; i++) {
      const parent = placed[i]!.parent;
      const now = parent >= 0 && (collapsed[parent] === 1 || hidden[parent] === 1) ? 1 : 0;
      if (now !== hidden[i]) {
        hidden[i] = now;
        rows[i]!.classList.toggle('hidden', now === 1);
      }
    }
  };
  const expandTo = (row: number) => {
    let changed = false;
    for (let p = placed[row]!.parent; p >= 0; p = placed[p]!.parent) {
      if (collapsed[p]) {
        collapsed[p] = 0;
        setToggle(p);
        changed = true;
      }
    }
    if (changed) layout();
  };
  const setToggle = (row: number) => {
    const toggle = rows[row]!.querySelector<HTMLButtonElement>('.wf-toggle');
    if (!toggle) return;
    const closed = collapsed[row] === 1;
    toggle.textContent = closed ? '▸' : '▾';
    toggle.title = `${closed ? 'Expand' : 'Collapse'} (${plural(childCount[row]!, 'child', 'children')})`;
    toggle.setAttribute('aria-expanded', String(!closed));
  };

  const axis = el('div', { className: 'axis' });
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    const tick = el('span', { className: 'tick', text: formatDuration(totalMs * fraction) });
    tick.style.left = `${fraction * 100}%`;
    axis.append(tick);
  }
  const header = el(
    'div',
    { className: 'wf-row wf-header' },
    el('div', { className: 'wf-label', text: 'Span' }),
    el('div', { className: 'wf-track' }, axis),
  );
  const body = el('div', { className: 'waterfall', id: 'waterfall' }, header);
  const fragment = document.createDocumentFragment();
  placed.forEach(({ span, depth, flags }, index) => {
    if (!rowOfSpan.has(span.spanId)) rowOfSpan.set(span.spanId, index);
    const offset = Number(BigInt(span.startTimeUnixNano) - start) / 1e6;
    const duration = Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6;
    const bar = el('div', { className: `wf-bar ${colorOf(span.service)}` });
    bar.style.left = `${(offset / totalMs) * 100}%`;
    bar.style.width = `${Math.max((duration / totalMs) * 100, 0.2)}%`;
    const toggle =
      childCount[index]! > 0
        ? el('button', {
            className: 'wf-toggle',
            testId: 'span-toggle',
            onClick: (event) => {
              event.stopPropagation();
              collapsed[index] = collapsed[index] ? 0 : 1;
              setToggle(index);
              layout();
            },
          })
        : el('span', { className: 'wf-toggle-space' });
    if (toggle instanceof HTMLButtonElement) toggle.type = 'button';
    const label = el(
      'div',
      { className: 'wf-label', title: `${span.name} · ${span.service}` },
      toggle,
      el('span', { className: 'wf-name', text: span.name }),
      el('span', { className: `svc-dot ${colorOf(span.service)}` }),
      el('span', { className: 'wf-service', text: span.service }),
      el('span', { className: 'badge', text: kindName(span.kind) }),
      flags.orphan
        ? el('span', { className: 'badge warn', text: 'parent missing', title: span.parentSpanId })
        : null,
      flags.selfParent
        ? el('span', { className: 'badge warn', text: 'its own parent', testId: 'self-parent' })
        : null,
      flags.cycle
        ? el('span', {
            className: 'badge warn',
            text: 'cycle broken here',
            title: `its parent ${span.parentSpanId} descends from it`,
            testId: 'cycle',
          })
        : null,
      flags.duplicate
        ? el('span', { className: 'badge warn', text: 'span id twice', testId: 'duplicate' })
        : null,
    );
    label.style.paddingLeft = `${0.3 + Math.min(depth, maxIndent) * 1.1}rem`;
    if (depth > maxIndent) label.dataset.depth = String(depth);
    const track = el(
      'div',
      { className: 'wf-track' },
      bar,
      el('span', { className: 'wf-duration', text: formatDuration(duration) }),
    );
    const row = el(
      'div',
      {
        className: span.status.code === statusError ? 'wf-row span-row error' : 'wf-row span-row',
        testId: 'span-row',
        onClick: () => onSelect(span),
      },
      label,
      track,
    );
    row.dataset.spanId = span.spanId;
    row.tabIndex = 0;
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') onSelect(span);
    });
    rows.push(row);
    fragment.append(row);
    setToggle(index);
  });
  body.append(fragment);

  const search = spanSearch(
    placed.map((p) => p.span),
    {
      mark(row, match) {
        rows[row]!.classList.toggle('match', match);
      },
      current(row, previous) {
        if (previous >= 0) rows[previous]!.classList.remove('current-match');
        rows[row]!.classList.add('current-match');
        expandTo(row);
        rows[row]!.scrollIntoView({ block: 'nearest' });
        onSelect(placed[row]!.span);
      },
    },
  );
  const legend = el(
    'div',
    { className: 'wf-legend' },
    ...services.map((service) =>
      el(
        'span',
        { className: 'legend-item' },
        el('span', { className: `svc-dot ${colorOf(service)}` }),
        service,
      ),
    ),
  );
  const element = el(
    'div',
    { className: 'waterfall-panel' },
    el('div', { className: 'wf-tools' }, search, legend),
    body,
  );
  let selected = -1;
  return {
    element,
    select(spanId) {
      const row = rowOfSpan.get(spanId);
      if (row === undefined) return;
      expandTo(row);
      if (selected >= 0) rows[selected]!.classList.remove('selected');
      rows[row]!.classList.add('selected');
      selected = row;
    },
  };
}
