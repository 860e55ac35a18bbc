import { ApiError, fetchTrace, fetchTraceLogs, type LogRecord, type Span } from './api-client.ts';
import { textInput } from './controls.ts';
import { el, replaceChildren } from './dom.ts';
import { attribute, formatDuration, formatValue, plural } from './format.ts';
import { logsPanel } from './logs-panel.ts';
import { errorMessage } from './messages.ts';
import { compareHref, go, pageHref, traceHref, traceListHref } from './router.ts';
import { spanDetail } from './span-detail.ts';
import { waterfall } from './waterfall.ts';

const statusError = 2;

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
  let spans: Span[] | undefined;
  let logs: LogRecord[];
  try {
    [spans, logs] = await Promise.all([
      fetchTrace(traceId).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      }),
      fetchTraceLogs(traceId),
    ]);
  } catch (error) {
    replaceChildren(
      root,
      el('div', { className: 'trace-header' }, back, el('h1', { text: `Trace ${traceId}` })),
      errorMessage(error),
    );
    return;
  }
  if (!spans) {
    // Log records may name a trace none of whose spans arrived (a service that exports logs
    // only, or spans refused): say so, and show the records.
    replaceChildren(
      root,
      el('div', { className: 'trace-header' }, back, el('h1', { text: `Trace ${traceId}` })),
      el('p', {
        className: 'error-message',
        id: 'trace-missing',
        text: logs.length
          ? `No span of trace ${traceId} is stored, only ${plural(logs.length, 'log record')} written in it: its spans were not exported here, or were refused.`
          : `Trace ${traceId} is not stored: it has not arrived yet, or retention removed it.`,
      }),
      logs.length ? logsPanel(logs, new Map(), () => {}) : null,
    );
    return;
  }
  const detail = el('aside', { className: 'detail-pane' });
  const byId = new Map<string, Span>();
  for (const span of spans) if (!byId.has(span.spanId)) byId.set(span.spanId, span);
  const select = (span: Span, fromClick: boolean) => {
    replaceChildren(detail, spanDetail(span));
    view.select(span.spanId);
    // The address follows the selection without a new history entry or a reload.
    if (fromClick) history.replaceState(null, '', traceHref(traceId, span.spanId));
  };
  const view = waterfall(spans, (span) => select(span, true));
  const first =
    (spanId && byId.get(spanId)) ||
    spans.find((s) => s.status.code === statusError && s.events.length) ||
    spans[0]!;
  let start = BigInt(spans[0]!.startTimeUnixNano);
  let end = BigInt(spans[0]!.endTimeUnixNano);
  for (const span of spans) {
    if (BigInt(span.startTimeUnixNano) < start) start = BigInt(span.startTimeUnixNano);
    if (BigInt(span.endTimeUnixNano) > end) end = BigInt(span.endTimeUnixNano);
  }
  const services = [...new Set(spans.map((s) => s.service))];
  const rootSpan = spans.find((s) => !s.parentSpanId) ?? spans[0]!;
  const target = formatValue(attribute(rootSpan.attributes, 'url.full'));
  const title = target && rootSpan.kind === 3 ? `${rootSpan.name} ${target}` : rootSpan.name;
  const header = el(
    'div',
    { className: 'trace-header' },
    back,
    el('h1', { text: title, title, className: 'ellipsis' }),
    el('p', {
      className: 'muted',
      text: `trace ${traceId} · ${formatDuration(Number(end - start) / 1e6)} · ${plural(spans.length, 'span')} · ${services.join(', ')}`,
    }),
    samplingNote(spans),
    compareControl(traceId, rootSpan),
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

// Why tail sampling kept the trace: each service's local root says so in
// `otelkit.sampling.reason`.
function samplingNote(spans: Span[]): HTMLElement | null {
  const reasons = new Map<string, string>();
  for (const span of spans) {
    const reason = formatValue(attribute(span.attributes, 'otelkit.sampling.reason'));
    if (reason && !reasons.has(span.service)) reasons.set(span.service, reason);
  }
  if (reasons.size === 0) return null;
  const explained: Record<string, string> = {
    error: 'it failed',
    slow: 'it was slow',
    sla: 'it missed its SLA',
    ratio: 'it fell in the share of ordinary traces kept',
  };
  return el(
    'p',
    { className: 'sampling-note', id: 'sampling-reason' },
    'Kept by tail sampling: ',
    ...[...reasons].flatMap(([service, reason], i) => [
      i > 0 ? '; ' : '',
      el('span', { className: 'badge sampling', text: reason }),
      ` ${service}${explained[reason] ? `, because ${explained[reason]}` : ''}`,
    ]),
  );
}

// "Compare with…": the list of traces like this one, to pick the other from; or a trace id.
function compareControl(traceId: string, root: Span): HTMLElement {
  const similar = new URLSearchParams({
    compare: traceId,
    service: root.service,
    operation: root.name,
  });
  const input = textInput('compare-with-id', 'or a trace id', '', (value) => {
    const other = value.trim().toLowerCase();
    if (/^[0-9a-f]{32}$/.test(other)) go(compareHref(traceId, other));
  });
  input.className = 'mono';
  return el(
    'div',
    { className: 'compare-with' },
    el('a', { href: pageHref('traces', similar), text: 'Compare with…', id: 'compare-with' }),
    input,
  );
}
