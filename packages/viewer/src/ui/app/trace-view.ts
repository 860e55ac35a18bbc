import { fetchTrace, fetchTraceLogs, type Span } from './api-client.ts';
import { el, replaceChildren } from './dom.ts';
import { formatDuration, nsToMs } from './format.ts';
import { logsPanel } from './logs-panel.ts';
import { spanDetail } from './span-detail.ts';
import { waterfall } from './waterfall.ts';

/** One trace: waterfall, the selected span's detail, and the trace's logs. */
export async function renderTrace(
  root: HTMLElement,
  traceId: string,
  spanId?: string,
): Promise<void> {
  const [spans, logs] = await Promise.all([fetchTrace(traceId), fetchTraceLogs(traceId)]);
  const detail = el('aside', { className: 'detail-pane' });
  let rows: HTMLElement;
  const select = (span: Span) => {
    replaceChildren(detail, spanDetail(span));
    for (const row of rows.querySelectorAll<HTMLElement>('.span-row')) {
      row.classList.toggle('selected', row.dataset.spanId === span.spanId);
    }
  };
  rows = waterfall(spans, select);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const first =
    (spanId && byId.get(spanId)) ||
    spans.find((s) => s.status.code === 2 && s.events.length) ||
    spans[0]!;
  select(first);
  const start = Math.min(...spans.map((s) => nsToMs(s.startTimeUnixNano)));
  const end = Math.max(...spans.map((s) => nsToMs(s.endTimeUnixNano)));
  const services = [...new Set(spans.map((s) => s.service))];
  const header = el(
    'div',
    { className: 'trace-header' },
    el('a', { href: '#/', text: '← Traces', className: 'back' }),
    el('h1', { text: spans.find((s) => !s.parentSpanId)?.name ?? spans[0]!.name }),
    el('p', {
      className: 'muted',
      text: `trace ${traceId} · ${formatDuration(end - start)} · ${spans.length} spans · ${services.join(', ')}`,
    }),
  );
  const logsSection = logsPanel(logs, (id) => {
    const span = byId.get(id);
    if (span) select(span);
  });
  replaceChildren(
    root,
    header,
    el(
      'div',
      { className: 'trace-layout' },
      el('div', { className: 'main-pane' }, rows, logsSection),
      detail,
    ),
  );
}
