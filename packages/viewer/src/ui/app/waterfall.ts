import type { Span } from './api-client.ts';
import { el } from './dom.ts';
import { formatDuration, kindName } from './format.ts';
import { placeSpans } from './span-tree.ts';

const statusError = 2;

/** The trace waterfall: one row per span, nested by parent, bars on the trace's time axis. */
export function waterfall(spans: Span[], onSelect: (span: Span) => void): HTMLElement {
  const start = spans.reduce(
    (min, s) => minNs(min, s.startTimeUnixNano),
    spans[0]!.startTimeUnixNano,
  );
  const end = spans.reduce((max, s) => maxNs(max, s.endTimeUnixNano), spans[0]!.endTimeUnixNano);
  const totalMs = Math.max(msBetween(start, end), 0.001);
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
  const rows = placeSpans(spans).map(({ span, depth, orphan }) => {
    const offset = msBetween(start, span.startTimeUnixNano);
    const duration = msBetween(span.startTimeUnixNano, span.endTimeUnixNano);
    const bar = el('div', { className: `wf-bar kind-${kindName(span.kind)}` });
    bar.style.left = `${(offset / totalMs) * 100}%`;
    bar.style.width = `${Math.max((duration / totalMs) * 100, 0.2)}%`;
    const label = el(
      'div',
      { className: 'wf-label' },
      el('span', { className: 'wf-name', text: span.name }),
      el('span', { className: 'wf-service', text: span.service }),
      el('span', { className: 'badge', text: kindName(span.kind) }),
      orphan
        ? el('span', { className: 'badge warn', text: 'parent missing', title: span.parentSpanId })
        : null,
    );
    label.style.paddingLeft = `${0.5 + depth * 1.1}rem`;
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
    return row;
  });
  return el('div', { className: 'waterfall', id: 'waterfall' }, header, ...rows);
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
