import { fetchOperations, fetchServices, fetchTraces } from './api-client.ts';
import { button, checkbox, filterBar, select, serviceSelect, textInput } from './controls.ts';
import { el, replaceChildren } from './dom.ts';
import { errorMessage } from './messages.ts';
import { go, pageHref, rememberTraceList, traceHref } from './router.ts';
import { addRange, timeRange, timeRangeControl } from './time-range.ts';
import { pageSize, resultsView } from './trace-results.ts';

const liveEveryMs = 5_000;

/**
 * The trace search: service, operation (from the data), time range, duration bounds, attribute
 * conditions, errors only, slowest first and a trace id lookup; the total, pages, and live
 * refresh of the results. The filters live in the hash query (`#/?service=…`).
 * @returns stops the live refresh.
 */
export async function renderTraceSearch(
  root: HTMLElement,
  query: URLSearchParams,
): Promise<() => void> {
  // Picking the second trace of a comparison is a detour, not the list to come back to.
  if (!query.has('compare')) rememberTraceList(pageHref('traces', query));
  const [services, operations] = await Promise.all([
    fetchServices(),
    fetchOperations(query.get('service') ?? ''),
  ]);
  const change = (edit: (next: URLSearchParams) => void) => {
    const next = new URLSearchParams(query);
    next.delete('offset');
    edit(next);
    go(pageHref('traces', next));
  };
  const set = (key: string) => (value: string) =>
    change((next) => (value ? next.set(key, value) : next.delete(key)));

  const results = el('div', { id: 'trace-results' });
  const status = el('span', { className: 'muted live-status', id: 'live-status' });
  const live = query.get('live') !== 'off';
  const load = async () => {
    try {
      const page = await fetchTraces(apiQuery(query));
      replaceChildren(results, resultsView(page, query, change));
      status.textContent = live
        ? `live · updated ${new Date().toLocaleTimeString(undefined, { hour12: false })}`
        : 'paused';
    } catch (error) {
      replaceChildren(results, errorMessage(error));
    }
  };

  replaceChildren(
    root,
    filterBar(
      serviceSelect('filter-service', services, query.get('service'), (value) =>
        change((next) => {
          next.delete('operation');
          if (value) next.set('service', value);
          else next.delete('service');
        }),
      ),
      select(
        'filter-operation',
        'Operation',
        [['', 'All operations'], ...withSelected(operations, query.get('operation'))],
        query.get('operation'),
        set('operation'),
      ),
      timeRangeControl(query, (next) => go(pageHref('traces', next))),
      numberInput(
        'filter-min-duration',
        'min ms',
        query.get('minDurationMs'),
        set('minDurationMs'),
      ),
      numberInput(
        'filter-max-duration',
        'max ms',
        query.get('maxDurationMs'),
        set('maxDurationMs'),
      ),
      checkbox('filter-errors', 'Errors only', query.get('status') === 'error', (on) =>
        change((next) => (on ? next.set('status', 'error') : next.delete('status'))),
      ),
      checkbox('filter-slowest', 'Slowest first', query.get('sort') === 'slowest', (on) =>
        change((next) => (on ? next.set('sort', 'slowest') : next.delete('sort'))),
      ),
    ),
    filterBar(
      attributeConditions(query, change),
      traceIdLookup(),
      button('Refresh', () => void load(), { id: 'refresh' }),
      button(live ? 'Pause' : 'Live', () => set('live')(live ? 'off' : ''), {
        id: 'live-toggle',
        title: live
          ? 'Stop refreshing the results'
          : `Refresh the results every ${liveEveryMs / 1000} s`,
      }),
      status,
    ),
    results,
  );
  await load();
  const timer = live ? setInterval(() => void load(), liveEveryMs) : undefined;
  return () => clearInterval(timer);
}

/** The API query of the page's filters. */
function apiQuery(query: URLSearchParams): URLSearchParams {
  const api = new URLSearchParams();
  for (const key of [
    'service',
    'operation',
    'status',
    'minDurationMs',
    'maxDurationMs',
    'sort',
    'offset',
  ]) {
    const value = query.get(key);
    if (value) api.set(key, value);
  }
  for (const condition of query.getAll('attr')) api.append('attr', condition);
  api.set('limit', String(pageSize));
  return addRange(api, timeRange(query));
}

// An operation in the URL that the list does not hold (removed since) stays selectable.
function withSelected(operations: string[], selected: string | null): [string, string][] {
  const all = selected && !operations.includes(selected) ? [selected, ...operations] : operations;
  return all.map((name) => [name, name]);
}

function numberInput(
  id: string,
  placeholder: string,
  value: string | null,
  onCommit: (value: string) => void,
): HTMLInputElement {
  const input = textInput(id, placeholder, value, onCommit, 'number');
  input.min = '0';
  input.className = 'short';
  return input;
}

/** `key=value` conditions as removable chips, and an input that adds one on Enter. */
function attributeConditions(
  query: URLSearchParams,
  change: (edit: (next: URLSearchParams) => void) => void,
): HTMLElement {
  const conditions = query.getAll('attr');
  const hint = el('span', { className: 'muted attr-hint', id: 'attr-hint' });
  const input = textInput('filter-attr', 'attribute key=value, Enter', '', (value) => {
    if (!value) return;
    if (!/^[^=]+=/.test(value)) {
      hint.textContent = 'write a condition as key=value';
      return;
    }
    change((next) => next.append('attr', value));
  });
  input.className = 'wide';
  const chips = conditions.map((condition, i) =>
    el(
      'span',
      { className: 'chip attr-chip', testId: 'attr-chip' },
      condition,
      el('button', {
        className: 'chip-remove',
        text: '×',
        title: `Remove ${condition}`,
        onClick: () =>
          change((next) => {
            next.delete('attr');
            for (const [j, c] of conditions.entries()) if (j !== i) next.append('attr', c);
          }),
      }),
    ),
  );
  for (const chip of chips) chip.querySelector('button')!.type = 'button';
  return el('span', { className: 'attr-conditions' }, ...chips, input, hint);
}

/** Pasting or typing a trace id opens that trace. */
function traceIdLookup(): HTMLElement {
  const input = textInput('trace-id-lookup', 'trace id', '', (value) => open(value));
  input.className = 'mono';
  const open = (value: string) => {
    const id = value.trim().toLowerCase();
    if (/^[0-9a-f]{32}$/.test(id)) go(traceHref(id));
  };
  input.addEventListener('input', () => open(input.value));
  return input;
}
