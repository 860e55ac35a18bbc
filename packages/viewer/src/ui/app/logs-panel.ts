import type { LogRecord } from './api-client.ts';
import { el } from './dom.ts';
import { formatTime, formatValue } from './format.ts';
import { attributeTable } from './span-detail.ts';

/** The trace's log records, oldest first; clicking one selects its span. */
export function logsPanel(logs: LogRecord[], onSelectSpan: (spanId: string) => void): HTMLElement {
  const items = logs.map((log) =>
    el(
      'li',
      { className: `log severity-${severityClass(log.severityNumber)}` },
      el('span', {
        className: 'time',
        text: formatTime(log.timeUnixNano !== '0' ? log.timeUnixNano : log.observedTimeUnixNano),
      }),
      el('span', { className: 'severity', text: log.severityText || `SEV${log.severityNumber}` }),
      el('span', { className: 'body', text: formatValue(log.body) }),
      log.spanId
        ? el('button', {
            className: 'span-ref',
            text: log.spanId,
            title: 'Show span',
            onClick: () => onSelectSpan(log.spanId),
          })
        : null,
      log.attributes.length
        ? el(
            'details',
            {},
            el('summary', { text: `${log.attributes.length} attributes` }),
            attributeTable(log.attributes),
          )
        : null,
    ),
  );
  return el(
    'section',
    { className: 'logs', id: 'trace-logs' },
    el('h2', { text: `Logs (${logs.length})` }),
    logs.length
      ? el('ul', {}, ...items)
      : el('p', { className: 'muted', text: 'No logs correlated with this trace.' }),
  );
}

function severityClass(severity: number): string {
  if (severity >= 17) return 'error';
  if (severity >= 13) return 'warn';
  if (severity >= 9) return 'info';
  return 'debug';
}
