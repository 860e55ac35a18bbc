import {
  ApiError,
  type ComparedSpan,
  fetchComparison,
  type SpanChange,
  type TraceSummary,
} from './api-client.ts';
import { checkbox, filterBar } from './controls.ts';
import { el, replaceChildren } from './dom.ts';
import { formatDuration, formatTime, plural } from './format.ts';
import { errorMessage } from './messages.ts';
import { compareHref, go, traceHref, traceListHref } from './router.ts';

const changeLabels: Record<SpanChange, string> = {
  same: '',
  slower: 'slower',
  faster: 'faster',
  failed: 'failed in B',
  recovered: 'failed in A',
  onlyA: 'only in A',
  onlyB: 'only in B',
};
const maxIndent = 24;

/**
 * Two traces side by side (`#/compare/<a>/<b>`): their span trees aligned by service, operation
 * and position, each pair's durations and the difference, spans present in only one, and the
 * spans that got slower or failed highlighted.
 */
export async function renderComparison(
  root: HTMLElement,
  a: string,
  b: string,
  query: URLSearchParams,
): Promise<void> {
  const back = el('a', { href: traceListHref(), text: '← Traces', className: 'back' });
  let comparison: Awaited<ReturnType<typeof fetchComparison>>;
  try {
    comparison = await fetchComparison(a, b);
  } catch (error) {
    const missing = error instanceof ApiError && error.status === 404;
    replaceChildren(
      root,
      back,
      el('h1', { text: 'Compare traces' }),
      missing
        ? el('p', {
            className: 'error-message',
            text: `${error.message}: it has not arrived yet, or retention removed it.`,
          })
        : errorMessage(error),
    );
    return;
  }
  const onlyChanges = query.get('changes') === 'only';
  const rows = onlyChanges ? comparison.rows.filter((r) => r.change !== 'same') : comparison.rows;
  const counts = comparison.changes;
  const summary = [
    counts.slower && `${plural(counts.slower, 'span')} slower`,
    counts.faster && `${plural(counts.faster, 'span')} faster`,
    counts.failed && `${plural(counts.failed, 'span')} failed in B only`,
    counts.recovered && `${plural(counts.recovered, 'span')} failed in A only`,
    counts.onlyA && `${plural(counts.onlyA, 'span')} only in A`,
    counts.onlyB && `${plural(counts.onlyB, 'span')} only in B`,
  ].filter(Boolean);
  replaceChildren(
    root,
    back,
    el('h1', { text: 'Compare traces' }),
    el(
      'div',
      { className: 'compare-sides' },
      side('A', comparison.a),
      el('a', { href: compareHref(b, a), text: '⇄ swap', className: 'swap', id: 'compare-swap' }),
      side('B', comparison.b),
    ),
    el('p', {
      className: 'compare-summary',
      id: 'compare-summary',
      text: summary.length ? `${summary.join(', ')}.` : 'The same spans, in about the same time.',
    }),
    filterBar(
      checkbox('compare-only-changes', 'Only differences', onlyChanges, (on) => {
        const next = new URLSearchParams(query);
        if (on) next.set('changes', 'only');
        else next.delete('changes');
        const search = next.toString();
        go(`${compareHref(a, b)}${search ? `?${search}` : ''}`);
      }),
    ),
    el('div', { className: 'table-scroll' }, table(rows, a, b)),
  );
}

function side(label: string, trace: TraceSummary): HTMLElement {
  const name = trace.rootTarget ? `${trace.rootName} ${trace.rootTarget}` : trace.rootName;
  return el(
    'div',
    { className: 'compare-side', testId: `compare-side-${label}` },
    el('span', { className: 'side-label', text: label }),
    el('a', { href: traceHref(trace.traceId), className: 'ellipsis', text: name, title: name }),
    el('div', {
      className: 'muted',
      text: `${trace.rootService} · ${formatDuration(trace.durationMs)} · ${plural(trace.spanCount, 'span')}${trace.errorCount ? ` · ${plural(trace.errorCount, 'error')}` : ''} · ${formatTime(trace.startTimeUnixNano)}`,
    }),
  );
}

function table(rows: ComparedSpan[], a: string, b: string): HTMLElement {
  const head = el(
    'tr',
    {},
    ...['Span', 'A', 'B', 'Difference', ''].map((h) => el('th', { text: h })),
  );
  const body = rows.map((row) => {
    const name = el('span', {
      className: 'compare-name',
      text: row.name,
      title: `${row.name} · ${row.service}`,
    });
    const label = el(
      'td',
      { className: 'compare-span' },
      name,
      el('span', { className: 'wf-service', text: row.service }),
    );
    label.style.paddingLeft = `${0.6 + Math.min(row.depth, maxIndent) * 1.1}rem`;
    const cell = (side: ComparedSpan['a'], trace: string) =>
      el(
        'td',
        { className: side?.error ? 'num failed' : 'num' },
        side
          ? el('a', { href: traceHref(trace, side.spanId), text: formatDuration(side.durationMs) })
          : el('span', { className: 'muted', text: '—' }),
      );
    return el(
      'tr',
      { className: `compare-row change-${row.change}`, testId: 'compare-row' },
      label,
      cell(row.a, a),
      cell(row.b, b),
      el('td', { className: 'num', text: difference(row) }),
      el(
        'td',
        {},
        changeLabels[row.change]
          ? el('span', { className: `badge change ${row.change}`, text: changeLabels[row.change] })
          : null,
      ),
    );
  });
  return el(
    'table',
    { className: 'compare', id: 'compare-table' },
    el('thead', {}, head),
    el('tbody', {}, ...body),
  );
}

// `+240 ms (+2,400%)`, or empty unless both traces have the span.
function difference(row: ComparedSpan): string {
  if (row.diffMs === null || !row.a) return '';
  const sign = row.diffMs > 0 ? '+' : '';
  const percent =
    row.a.durationMs > 0
      ? ` (${sign}${Math.round((row.diffMs / row.a.durationMs) * 100).toLocaleString('en-US')}%)`
      : '';
  return `${sign}${formatDuration(row.diffMs)}${percent}`;
}
