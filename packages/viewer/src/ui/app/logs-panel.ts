import type { LogRecord, Span } from './api-client.ts';
import { el } from './dom.ts';
import { formatTime, formatValue } from './format.ts';
import { attributesDetails } from './span-detail.ts';

/** The trace's log records, oldest first; each names its span, and a click selects it. */
export function logsPanel(
  logs: LogRecord[],
  spans: Map<string, Span>,
  onSelectSpan: (spanId: string) => void,
): HTMLElement {
  const items = logs.map((log) => {
    const span = spans.get(log.spanId);
    return el(
      'li',
      { className: `log severity-${severityClass(log.severityNumber)}` },
      el('span', {
        className: 'time',
        text: formatTime(log.timeUnixNano !== '0' ? log.timeUnixNano : log.observedTimeUnixNano),
      }),
      el('span', { className: 'severity', text: severityLabel(log) }),
      el('span', { className: 'body', text: formatValue(log.body) }),
      log.spanId
        ? el('button', {
            className: 'span-ref',
            text: span ? span.name : `span ${log.spanId}`,
            title: span ? `Show span ${log.spanId}` : 'This span has not been received',
            onClick: () => onSelectSpan(log.spanId),
          })
        : null,
      attributesDetails(log.attributes),
    );
  });
  for (const item of items) for (const b of item.querySelectorAll('button')) b.type = 'button';
  return el(
    'section',
    { className: 'logs', id: 'trace-logs' },
    el('h2', { text: `Logs (${logs.length})` }),
    logs.length
      ? el('ul', {}, ...items)
      : el('p', { className: 'muted', text: 'No logs correlated with this trace.' }),
  );
}

/** `ERROR`, or `SEV17` when the record has no severity text. */
export function severityLabel(log: LogRecord): string {
  return log.severityText || (log.severityNumber ? `SEV${log.severityNumber}` : '—');
}

/** The CSS class of a severity number: error, warn, info or debug. */
export function severityClass(severity: number): string {
  if (severity >= 17) return 'error';
  if (severity >= 13) return 'warn';
  if (severity >= 9) return 'info';
  return 'debug';
}
