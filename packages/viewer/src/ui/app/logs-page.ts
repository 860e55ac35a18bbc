import { fetchLogs, fetchServices, type LogRecord } from './api-client.ts';
import { button, filterBar, select, serviceSelect, textInput } from './controls.ts';
import { el, replaceChildren } from './dom.ts';
import { formatNumber, formatTime, plural } from './format.ts';
import { logMessage, severityClass, severityLabel } from './logs-panel.ts';
import { emptyMessage, errorMessage } from './messages.ts';
import { go, pageHref, traceHref } from './router.ts';
import { attributesDetails } from './span-detail.ts';
import { addRange, describeRange, hasRange, timeRange, timeRangeControl } from './time-range.ts';

const pageSize = 50;
const severities: [string, string][] = [
  ['', 'Any severity'],
  ['DEBUG', 'DEBUG and above'],
  ['INFO', 'INFO and above'],
  ['WARN', 'WARN and above'],
  ['ERROR', 'ERROR and above'],
  ['FATAL', 'FATAL'],
];

/**
 * Every log record, with and without a trace, newest first: text search in the body and
 * attributes, lowest severity, service, time range and trace; a record in a trace links to it
 * and names its span.
 */
export async function renderLogs(root: HTMLElement, query: URLSearchParams): Promise<void> {
  const services = await fetchServices();
  const change = (edit: (next: URLSearchParams) => void) => {
    const next = new URLSearchParams(query);
    next.delete('offset');
    edit(next);
    go(pageHref('logs', next));
  };
  const set = (key: string) => (value: string) =>
    change((next) => (value ? next.set(key, value) : next.delete(key)));
  const search = textInput(
    'logs-q',
    'words in the body, event name or attributes, Enter',
    query.get('q'),
    set('q'),
  );
  search.className = 'wide';
  const traceId = query.get('traceId');
  const bar = filterBar(
    search,
    select('logs-severity', 'Lowest severity', severities, query.get('severity'), set('severity')),
    serviceSelect('logs-service', services, query.get('service'), set('service')),
    timeRangeControl(query, (next) => go(pageHref('logs', next))),
    traceId
      ? el(
          'span',
          { className: 'chip' },
          `trace ${traceId.slice(0, 8)}`,
          button('×', () => set('traceId')(''), {
            className: 'chip-remove',
            title: 'Show logs of every trace',
          }),
        )
      : null,
    button('Refresh', () => go(pageHref('logs', query)), { id: 'refresh' }),
  );
  const api = addRange(new URLSearchParams(), timeRange(query));
  for (const key of ['q', 'severity', 'service', 'traceId', 'offset']) {
    const value = query.get(key);
    if (value) api.set(key, value);
  }
  api.set('limit', String(pageSize));
  let body: HTMLElement;
  try {
    const page = await fetchLogs(api);
    body = page.total === 0 ? empty(query) : results(page, query, change);
  } catch (error) {
    body = errorMessage(error);
  }
  replaceChildren(root, el('h1', { text: 'Logs' }), bar, body);
}

function empty(query: URLSearchParams): HTMLElement {
  const filtered =
    ['q', 'severity', 'service', 'traceId'].some((key) => query.get(key)) || hasRange(query);
  return filtered
    ? emptyMessage(
        `No log records match these filters${describeRange(query) ? ` ${describeRange(query)}` : ''}.`,
      )
    : emptyMessage('No log records yet.', 'Send OTLP to /v1/logs on this port.');
}

function results(
  page: { logs: LogRecord[]; total: number },
  query: URLSearchParams,
  change: (edit: (next: URLSearchParams) => void) => void,
): HTMLElement {
  const offset = Number(query.get('offset') ?? 0) || 0;
  const last = Math.min(offset + page.logs.length, page.total);
  const prev = button(
    '← Newer',
    () => change((next) => next.set('offset', String(Math.max(0, offset - pageSize)))),
    {
      id: 'page-prev',
    },
  );
  prev.disabled = offset === 0;
  const next = button('Older →', () => change((n) => n.set('offset', String(offset + pageSize))), {
    id: 'page-next',
  });
  next.disabled = last >= page.total;
  const rows = page.logs.map((log) =>
    el(
      'tr',
      { className: `log-row severity-${severityClass(log.severityNumber)}`, testId: 'log-row' },
      el('td', {
        className: 'time',
        text: formatTime(log.timeUnixNano !== '0' ? log.timeUnixNano : log.observedTimeUnixNano),
      }),
      el('td', {}, el('span', { className: 'severity', text: severityLabel(log) })),
      el('td', { className: 'service', text: log.service }),
      el('td', { className: 'log-body' }, ...logMessage(log), attributesDetails(log.attributes)),
      el(
        'td',
        { className: 'log-trace' },
        log.traceId
          ? el('a', {
              href: traceHref(log.traceId, log.spanId || undefined),
              className: 'log-span-link',
              text: log.spanName ?? `trace ${log.traceId.slice(0, 8)}`,
              title: `trace ${log.traceId}${log.spanId ? ` · span ${log.spanId}` : ''}`,
            })
          : el('span', { className: 'muted', text: '—' }),
      ),
    ),
  );
  return el(
    'div',
    {},
    el('p', {
      className: 'total',
      id: 'logs-total',
      text: plural(page.total, 'log record'),
    }),
    el(
      'div',
      { className: 'table-scroll' },
      el(
        'table',
        { className: 'log-table', id: 'log-list' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['Time', 'Severity', 'Service', 'Message', 'Span'].map((h) => el('th', { text: h })),
          ),
        ),
        el('tbody', {}, ...rows),
      ),
    ),
    el(
      'div',
      { className: 'pager' },
      prev,
      el('span', {
        className: 'muted',
        text: `${formatNumber(Math.min(offset + 1, page.total))}–${formatNumber(last)} of ${page.total.toLocaleString('en-US')}`,
      }),
      next,
    ),
  );
}
