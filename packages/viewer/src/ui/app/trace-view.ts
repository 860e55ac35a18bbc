import { ApiError, fetchTrace, fetchTraceLogs, type Span } from './api-client.ts';
import { el, replaceChildren } from './dom.ts';
import { formatDuration, nsToMs } from './format.ts';
import { logsPanel } from './logs-panel.ts';
import { errorMessage } from './messages.ts';
import { traceHref, traceListHref } from './router.ts';
import { spanDetail } from './span-detail.ts';
import { waterfall } from './waterfall.ts';

/**
 * One trace: waterfall, the selected span's detail, and the trace's logs. Selecting a span puts
 * it in the URL, so the address always links to what is on screen.
 */
export async function renderTrace(
  root: HTMLElement,
  traceId: string,
  spanId?: string,
): Promise<void> {
  const back = el('a', {
    href: traceListHref(),
    text: '← Traces',
    className: 'back',
    id: 'back-to-traces',
  });
  let spans: Span[];
  let logs: Awaited<ReturnType<typeof fetchTraceLogs>>;
  try {
    [spans, logs] = await Promise.all([fetchTrace(traceId), fetchTraceLogs(traceId)]);
  } catch (error) {
    const missing = error instanceof ApiError && error.status === 404;
    replaceChildren(
      root,
      el('div', { className: 'trace-header' }, back, el('h1', { text: `Trace ${traceId}` })),
      missing
        ? el('p', {
            className: 'error-message',
            text: `Trace ${traceId} is not stored: it has not arrived yet, or retention removed it.`,
          })
        : errorMessage(error),
    );
    return;
  }
  const detail = el('aside', { className: 'detail-pane' });
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const select = (span: Span, fromClick: boolean) => {
    replaceChildren(detail, spanDetail(span));
    view.select(span.spanId);
    // The address follows the selection without a new history entry or a reload.
    if (fromClick) history.replaceState(null, '', traceHref(traceId, span.spanId));
  };
  const view = waterfall(spans, (span) => select(span, true));
  const first =
    (spanId && byId.get(spanId)) ||
    spans.find((s) => s.status.code === 2 && s.events.length) ||
    spans[0]!;
  const start = Math.min(...spans.map((s) => nsToMs(s.startTimeUnixNano)));
  const end = Math.max(...spans.map((s) => nsToMs(s.endTimeUnixNano)));
  const services = [...new Set(spans.map((s) => s.service))];
  const header = el(
    'div',
    { className: 'trace-header' },
    back,
    el('h1', { text: spans.find((s) => !s.parentSpanId)?.name ?? spans[0]!.name }),
    el('p', {
      className: 'muted',
      text: `trace ${traceId} · ${formatDuration(end - start)} · ${spans.length} spans · ${services.join(', ')}`,
    }),
  );
  const logsSection = logsPanel(logs, byId, (id) => {
    const span = byId.get(id);
    if (span) select(span, true);
  });
  replaceChildren(
    root,
    header,
    el(
      'div',
      { className: 'trace-layout' },
      el('div', { className: 'main-pane' }, view.element, logsSection),
      detail,
    ),
  );
  select(first, false);
}
