import type { LogRecord, Span } from './api-client.ts';
import { el } from './dom.ts';
import { formatTime, formatValue, severityName } from './format.ts';
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
      ...logMessage(log),
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
    el('h2', { text: `Logs (${logs.length.toLocaleString('en-US')})` }),
    logs.length
      ? el('ul', {}, ...items)
      : el('p', { className: 'muted', text: 'No logs correlated with this trace.' }),
  );
}

/**
 * The record's severity text, else the OpenTelemetry short name of its number (`INFO` for 9,
 * `WARN2` for 14), else a dash.
 */
export function severityLabel(log: LogRecord): string {
  return log.severityText || severityName(log.severityNumber) || '—';
}

/**
 * What a record says: its body, with its event name before it when it is an event; an event
 * without a body is its name.
 */
export function logMessage(log: LogRecord): HTMLElement[] {
  const body = formatValue(log.body);
  const event = log.eventName
    ? el('span', { className: 'badge event-name', text: log.eventName, title: 'event name' })
    : null;
  return [
    ...(event ? [event] : []),
    el('span', { className: 'body', text: body || (log.eventName ? '' : '(no body)') }),
  ];
}

/** The CSS class of a severity number: error, warn, info or debug. */
export function severityClass(severity: number): string {
  if (severity >= 17) return 'error';
  if (severity >= 13) return 'warn';
  if (severity >= 9) return 'info';
  return 'debug';
}
