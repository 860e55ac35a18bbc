import type { TracePage, TraceSummary } from './api-client.ts';
import { button } from './controls.ts';
import { el } from './dom.ts';
import { formatDuration, formatNumber, formatTime, plural } from './format.ts';
import { emptyMessage } from './messages.ts';
import { compareHref, pageHref, traceHref } from './router.ts';
import { describeRange, hasRange } from './time-range.ts';

/** Traces to a page of the list. */
export const pageSize = 20;
const narrowing = ['service', 'operation', 'attr', 'status', 'minDurationMs', 'maxDurationMs'];

/**
 * A page of the trace list: the total, notes (the services sample; the other trace of a
 * comparison is being picked), the rows and the pager. `change` edits the page's query.
 */
export function resultsView(
  page: TracePage,
  query: URLSearchParams,
  change: (edit: (next: URLSearchParams) => void) => void,
): HTMLElement {
  const offset = Number(query.get('offset') ?? 0) || 0;
  const comparing = query.get('compare');
  const notes = el(
    'div',
    {},
    comparing ? compareBanner(comparing, change) : null,
    samplingNotice(page.samplingServices),
  );
  if (page.total === 0) {
    const filtered = narrowing.some((key) => query.has(key)) || hasRange(query);
    return filtered
      ? emptyMessage(
          `No traces match these filters${describeRange(query) ? ` ${describeRange(query)}` : ''}.`,
          'Widen the time range or remove a condition.',
        )
      : emptyMessage('No traces yet.', 'Send OTLP to /v1/traces on this port.');
  }
  const compareWith = comparing && /^[0-9a-f]{32}$/.test(comparing) ? comparing : undefined;
  const first = Math.min(offset + 1, page.total);
  const last = Math.min(offset + page.traces.length, page.total);
  const pager = el(
    'div',
    { className: 'pager' },
    pagerButton('page-prev', '← Newer', offset > 0, () =>
      change((next) => next.set('offset', String(Math.max(0, offset - pageSize)))),
    ),
    el('span', {
      className: 'muted',
      text: `${formatNumber(first)}–${formatNumber(last)} of ${page.total.toLocaleString('en-US')}`,
    }),
    pagerButton('page-next', 'Older →', last < page.total, () =>
      change((next) => next.set('offset', String(offset + pageSize))),
    ),
  );
  return el(
    'div',
    {},
    notes,
    el('p', { className: 'total', id: 'trace-total', text: plural(page.total, 'trace') }),
    el('div', { className: 'table-scroll' }, traceTable(page.traces, compareWith)),
    pager,
  );
}

// While picking the other trace of a comparison.
function compareBanner(
  traceId: string,
  change: (edit: (next: URLSearchParams) => void) => void,
): HTMLElement {
  return el(
    'p',
    { className: 'compare-banner', id: 'compare-banner' },
    `Pick the trace to compare with trace ${traceId.slice(0, 8)}… (similar ones listed). `,
    el('a', { href: traceHref(traceId), text: 'Back to it' }),
    ' · ',
    button('Cancel', () => change((next) => next.delete('compare')), { id: 'compare-cancel' }),
  );
}

// Services that sample keep only some of their traces: the list is not all that happened.
function samplingNotice(services: string[]): HTMLElement | null {
  if (services.length === 0) return null;
  const names =
    services.length === 1
      ? services[0]
      : `${services.slice(0, -1).join(', ')} and ${services.at(-1)}`;
  return el('p', {
    className: 'sampling-notice',
    id: 'sampling-notice',
    text: `${names} ${services.length === 1 ? 'samples its' : 'sample their'} traces (tail sampling): the list holds the traces kept, every failed or slow one and a share of the rest; metrics still count every request.`,
  });
}

function pagerButton(id: string, text: string, enabled: boolean, onClick: () => void) {
  const element = button(text, onClick, { id });
  element.disabled = !enabled;
  return element;
}

function traceTable(traces: TraceSummary[], compareWith: string | undefined): HTMLElement {
  let longest = 0.001;
  for (const trace of traces) longest = Math.max(longest, trace.durationMs);
  const rows = traces.map((trace) => {
    const bar = el('div', { className: 'mini-bar' });
    bar.style.width = `${Math.max(1, (trace.durationMs / longest) * 100)}%`;
    const name = trace.hasRoot ? trace.rootName : `${trace.rootName} (root not received)`;
    const full = trace.rootTarget ? `${name} → ${trace.rootTarget}` : name;
    const href = compareWith ? compareHref(compareWith, trace.traceId) : traceHref(trace.traceId);
    return el(
      'tr',
      { className: trace.errorCount > 0 ? 'trace-row error' : 'trace-row', testId: 'trace-row' },
      el('td', { className: 'time', text: formatTime(trace.startTimeUnixNano) }),
      el('td', {
        className: 'service ellipsis-cell',
        text: trace.rootService,
        title: trace.rootService,
      }),
      el(
        'td',
        { className: 'name-cell' },
        el(
          'div',
          { className: 'name-line' },
          el(
            'a',
            { href, className: 'trace-link', title: full },
            el('span', { className: 'root-name', text: name }),
            trace.rootTarget
              ? el('span', { className: 'root-target', text: ` → ${trace.rootTarget}` })
              : null,
          ),
          trace.samplingReason
            ? el('span', {
                className: 'badge sampling',
                text: `kept: ${trace.samplingReason}`,
                title: 'Why tail sampling kept this trace (otelkit.sampling.reason of its root)',
              })
            : null,
          compareWith
            ? null
            : el('a', {
                href: pageHref(
                  'traces',
                  new URLSearchParams({
                    compare: trace.traceId,
                    service: trace.rootService,
                    operation: trace.rootName,
                  }),
                ),
                text: 'compare with…',
                className: 'compare-link',
                title: 'Pick another trace to compare this one with',
              }),
        ),
      ),
      el(
        'td',
        { className: 'duration' },
        el('span', { text: formatDuration(trace.durationMs) }),
        bar,
      ),
      el('td', { className: 'num', text: String(trace.spanCount) }),
      el('td', { className: 'num', text: trace.errorCount > 0 ? String(trace.errorCount) : '' }),
    );
  });
  const head = el(
    'tr',
    {},
    ...['Start', 'Service', 'Trace', 'Duration', 'Spans', 'Errors'].map((h) =>
      el('th', { text: h }),
    ),
  );
  return el(
    'table',
    { className: 'traces', id: 'trace-list' },
    el('thead', {}, head),
    el('tbody', {}, ...rows),
  );
}
