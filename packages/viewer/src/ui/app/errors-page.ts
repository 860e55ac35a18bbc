import { type ErrorGroup, fetchErrors, fetchServices } from './api-client.ts';
import { sparkline } from './chart.ts';
import { button, filterBar, serviceSelect, withParam } from './controls.ts';
import { el, replaceChildren } from './dom.ts';
import { formatAgo, formatNumber, formatTimeMs, plural } from './format.ts';
import { emptyMessage, errorMessage } from './messages.ts';
import { go, pageHref, traceHref } from './router.ts';
import { addRange, describeRange, hasRange, timeRange, timeRangeControl } from './time-range.ts';

/**
 * Errors grouped by service, exception type, route and normalized message, most frequent first:
 * how many, since when, until when, over time, their cause chain, and the latest traces.
 */
export async function renderErrors(root: HTMLElement, query: URLSearchParams): Promise<void> {
  const services = await fetchServices();
  const change = (next: URLSearchParams) => go(pageHref('errors', next));
  const bar = filterBar(
    serviceSelect('errors-service', services, query.get('service'), (value) =>
      change(withParam(query, 'service', value)),
    ),
    timeRangeControl(query, change),
    button('Refresh', () => go(pageHref('errors', query)), { id: 'refresh' }),
  );
  const api = addRange(new URLSearchParams(), timeRange(query));
  if (query.get('service')) api.set('service', query.get('service')!);
  let body: HTMLElement;
  try {
    const list = await fetchErrors(api);
    body = list.errors.length
      ? el('div', { className: 'table-scroll' }, errorTable(list.errors, list.stepMs))
      : query.get('service') || hasRange(query)
        ? emptyMessage(
            `No errors match these filters${describeRange(query) ? ` ${describeRange(query)}` : ''}.`,
          )
        : emptyMessage(
            'No errors recorded.',
            'A failed span (status ERROR) shows here, grouped with others like it: by its exception, else its error.type, else its status message.',
          );
  } catch (error) {
    body = errorMessage(error);
  }
  replaceChildren(root, el('h1', { text: 'Errors' }), bar, body);
}

function errorTable(groups: ErrorGroup[], stepMs: number): HTMLElement {
  const head = el(
    'tr',
    {},
    ...[
      'Error',
      'Service · route',
      'Count',
      'Over time',
      'First seen',
      'Last seen',
      'Latest traces',
    ].map((h) => el('th', { text: h })),
  );
  const rows = groups.map((group) => {
    const chain = group.chainTypes.length > 1 ? group.chainTypes.join(' ← ') : '';
    return el(
      'tr',
      { className: 'error-row', testId: 'error-row' },
      el(
        'td',
        { className: 'error-what' },
        el('div', {
          className: 'exception-type ellipsis',
          text: group.type || '(no error type)',
          title: group.type,
        }),
        el('div', { className: 'error-text', text: group.message || '(no message)' }),
        chain
          ? el('div', {
              className: 'muted chain',
              text: chain,
              title: 'Cause chain, outer error first',
            })
          : null,
      ),
      el(
        'td',
        {},
        el('div', { className: 'service ellipsis', text: group.service, title: group.service }),
        el('div', { className: 'muted', text: group.route || '(route unknown)' }),
      ),
      el('td', { className: 'num count', text: formatNumber(group.count) }),
      el(
        'td',
        {},
        sparkline(
          group.sparkline,
          `${plural(group.count, 'error')} over time, ${formatNumber(stepMs / 60_000)} min per bar`,
        ),
      ),
      el('td', {
        className: 'time',
        text: formatAgo(group.firstSeen),
        title: formatTimeMs(group.firstSeen),
      }),
      el('td', {
        className: 'time',
        text: formatAgo(group.lastSeen),
        title: formatTimeMs(group.lastSeen),
      }),
      el(
        'td',
        { className: 'trace-ids' },
        ...group.traceIds.map((traceId) =>
          el('a', {
            href: traceHref(traceId),
            text: `${traceId.slice(0, 4)}…${traceId.slice(-4)}`,
            title: traceId,
            className: 'mono trace-id-link',
          }),
        ),
      ),
    );
  });
  return el(
    'table',
    { className: 'errors', id: 'error-list' },
    el('thead', {}, head),
    el('tbody', {}, ...rows),
  );
}
