import { fetchServices, fetchTraces, type TraceSummary } from './api-client.ts';
import { el, replaceChildren } from './dom.ts';
import { formatDuration, formatTime } from './format.ts';
import { traceHref } from './router.ts';

const filterKeys = ['service', 'operation', 'status', 'minDurationMs', 'sort'];

/** The trace list with its filters; the filters live in the hash query (`#/?service=…`). */
export async function renderTraceList(root: HTMLElement, query: URLSearchParams): Promise<void> {
  const services = await fetchServices();
  const apiQuery = new URLSearchParams();
  for (const key of filterKeys) {
    const value = query.get(key);
    if (value) apiQuery.set(key, value);
  }
  apiQuery.set('limit', '100');
  const traces = await fetchTraces(apiQuery);
  replaceChildren(root, filterBar(services, query), traceTable(traces));
}

function filterBar(services: string[], query: URLSearchParams): HTMLElement {
  const service = el('select', { id: 'filter-service', title: 'Service' });
  service.append(new Option('All services', ''));
  for (const name of services)
    service.append(new Option(name, name, false, name === query.get('service')));
  const operation = el('input', { id: 'filter-operation', title: 'Span name' });
  operation.placeholder = 'operation';
  operation.value = query.get('operation') ?? '';
  const minDuration = el('input', { id: 'filter-min-duration', title: 'Minimum duration (ms)' });
  minDuration.type = 'number';
  minDuration.min = '0';
  minDuration.placeholder = 'min ms';
  minDuration.value = query.get('minDurationMs') ?? '';
  const errors = checkbox('filter-errors', 'Errors only', query.get('status') === 'error');
  const slowest = checkbox('filter-slowest', 'Slowest first', query.get('sort') === 'slowest');
  const apply = () => {
    const next = new URLSearchParams();
    if (service.value) next.set('service', service.value);
    if (operation.value.trim()) next.set('operation', operation.value.trim());
    if (minDuration.value) next.set('minDurationMs', minDuration.value);
    if (errors.input.checked) next.set('status', 'error');
    if (slowest.input.checked) next.set('sort', 'slowest');
    const hash = `#/?${next}`;
    if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = hash;
  };
  for (const control of [service, minDuration, errors.input, slowest.input]) {
    control.addEventListener('change', apply);
  }
  operation.addEventListener('change', apply);
  const refresh = el('button', { text: 'Refresh', id: 'refresh', onClick: apply });
  return el(
    'form',
    { className: 'filters' },
    service,
    operation,
    minDuration,
    errors.label,
    slowest.label,
    refresh,
  );
}

function checkbox(id: string, text: string, checked: boolean) {
  const input = el('input', { id });
  input.type = 'checkbox';
  input.checked = checked;
  return { input, label: el('label', { className: 'check' }, input, text) };
}

function traceTable(traces: TraceSummary[]): HTMLElement {
  if (traces.length === 0) {
    return el('p', {
      className: 'empty',
      text: 'No traces yet. Send OTLP to /v1/traces on this port.',
    });
  }
  const longest = Math.max(...traces.map((t) => t.durationMs), 0.001);
  const rows = traces.map((trace) => {
    const bar = el('div', { className: 'mini-bar' });
    bar.style.width = `${Math.max(1, (trace.durationMs / longest) * 100)}%`;
    const name = trace.hasRoot ? trace.rootName : `${trace.rootName} (root not received)`;
    return el(
      'tr',
      { className: trace.errorCount > 0 ? 'trace-row error' : 'trace-row', testId: 'trace-row' },
      el('td', { className: 'time', text: formatTime(trace.startTimeUnixNano) }),
      el('td', { className: 'service', text: trace.rootService }),
      el(
        'td',
        {},
        el('a', { href: traceHref(trace.traceId), text: name, className: 'trace-link' }),
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
