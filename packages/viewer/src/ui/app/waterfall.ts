import type { Span } from './api-client.ts';
import { el } from './dom.ts';
import { formatDuration, formatValue, kindName } from './format.ts';
import { placeSpans } from './span-tree.ts';

const statusError = 2;
const serviceColors = 8;

/** The waterfall of a trace, and how to drive it. */
export interface Waterfall {
  element: HTMLElement;
  /** Marks the row of `spanId` selected and shows it (expanding its ancestors). */
  select(spanId: string): void;
}

/**
 * The trace waterfall: one row per span, nested by parent, bars on the trace's time axis and
 * coloured by service; subtrees collapse and expand, and a search box highlights the spans whose
 * name, service or attribute values contain its text.
 */
export function waterfall(spans: Span[], onSelect: (span: Span) => void): Waterfall {
  const start = spans.reduce(
    (min, s) => minNs(min, s.startTimeUnixNano),
    spans[0]!.startTimeUnixNano,
  );
  const end = spans.reduce((max, s) => maxNs(max, s.endTimeUnixNano), spans[0]!.endTimeUnixNano);
  const totalMs = Math.max(msBetween(start, end), 0.001);
  const services = [...new Set(spans.map((s) => s.service))];
  const colorOf = (service: string) => `svc-${services.indexOf(service) % serviceColors}`;
  const placed = placeSpans(spans);
  const ids = new Set(spans.map((s) => s.spanId));
  const parentOf = new Map<string, string>();
  const childCount = new Map<string, number>();
  for (const { span } of placed) {
    if (span.parentSpanId && span.parentSpanId !== span.spanId && ids.has(span.parentSpanId)) {
      parentOf.set(span.spanId, span.parentSpanId);
      childCount.set(span.parentSpanId, (childCount.get(span.parentSpanId) ?? 0) + 1);
    }
  }
  const collapsed = new Set<string>();
  const rowOf = new Map<string, HTMLElement>();
  const hidden = (spanId: string) => {
    for (let p = parentOf.get(spanId); p; p = parentOf.get(p)) if (collapsed.has(p)) return true;
    return false;
  };
  const layout = () => {
    for (const [spanId, row] of rowOf) {
      row.classList.toggle('hidden', hidden(spanId));
      const toggle = row.querySelector<HTMLButtonElement>('.wf-toggle');
      if (toggle) {
        toggle.textContent = collapsed.has(spanId) ? '▸' : '▾';
        toggle.title = `${collapsed.has(spanId) ? 'Expand' : 'Collapse'} (${childCount.get(spanId)} children)`;
        toggle.setAttribute('aria-expanded', String(!collapsed.has(spanId)));
      }
    }
  };
  const expandTo = (spanId: string) => {
    for (let p = parentOf.get(spanId); p; p = parentOf.get(p)) collapsed.delete(p);
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
  const rows = placed.map(({ span, depth, orphan }) => {
    const offset = msBetween(start, span.startTimeUnixNano);
    const duration = msBetween(span.startTimeUnixNano, span.endTimeUnixNano);
    const bar = el('div', { className: `wf-bar ${colorOf(span.service)}` });
    bar.style.left = `${(offset / totalMs) * 100}%`;
    bar.style.width = `${Math.max((duration / totalMs) * 100, 0.2)}%`;
    const toggle = childCount.has(span.spanId)
      ? el('button', {
          className: 'wf-toggle',
          testId: 'span-toggle',
          onClick: (event) => {
            event.stopPropagation();
            if (collapsed.has(span.spanId)) collapsed.delete(span.spanId);
            else collapsed.add(span.spanId);
            layout();
          },
        })
      : el('span', { className: 'wf-toggle-space' });
    if (toggle instanceof HTMLButtonElement) toggle.type = 'button';
    const dot = el('span', { className: `svc-dot ${colorOf(span.service)}` });
    const label = el(
      'div',
      { className: 'wf-label' },
      toggle,
      el('span', { className: 'wf-name', text: span.name }),
      dot,
      el('span', { className: 'wf-service', text: span.service }),
      el('span', { className: 'badge', text: kindName(span.kind) }),
      orphan
        ? el('span', { className: 'badge warn', text: 'parent missing', title: span.parentSpanId })
        : null,
    );
    label.style.paddingLeft = `${0.3 + depth * 1.1}rem`;
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
    rowOf.set(span.spanId, row);
    return row;
  });

  const searchable = new Map(spans.map((span) => [span.spanId, searchText(span)]));
  const count = el('span', { className: 'muted', id: 'span-search-count' });
  const search = el('input', { id: 'span-search', title: 'Find spans' });
  search.type = 'search';
  search.placeholder = 'find spans: name, service, attribute value';
  search.setAttribute('aria-label', 'Find spans');
  search.addEventListener('input', () => {
    const text = search.value.trim().toLowerCase();
    let matches = 0;
    for (const [spanId, row] of rowOf) {
      const match = text !== '' && searchable.get(spanId)!.includes(text);
      row.classList.toggle('match', match);
      if (match) {
        matches++;
        expandTo(spanId);
      }
    }
    layout();
    count.textContent = text ? `${matches} of ${spans.length} spans match` : '';
  });
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
  layout();
  const element = el(
    'div',
    { className: 'waterfall-panel' },
    el('div', { className: 'wf-tools' }, search, count, legend),
    el('div', { className: 'waterfall', id: 'waterfall' }, header, ...rows),
  );
  return {
    element,
    select(spanId) {
      expandTo(spanId);
      layout();
      for (const [id, row] of rowOf) row.classList.toggle('selected', id === spanId);
    },
  };
}

// What the span search looks through, lowercased: name, service and attribute values.
function searchText(span: Span): string {
  const values = span.attributes.map((kv) => `${kv.key}=${formatValue(kv.value)}`);
  return [span.name, span.service, ...values].join('\n').toLowerCase();
}

function msBetween(from: string, to: string): number {
  return Number(BigInt(to) - BigInt(from)) / 1e6;
}

function minNs(a: string, b: string): string {
  return BigInt(a) <= BigInt(b) ? a : b;
}

function maxNs(a: string, b: string): string {
  return BigInt(a) >= BigInt(b) ? a : b;
}
