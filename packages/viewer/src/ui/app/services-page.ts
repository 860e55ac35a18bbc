import { fetchDependencies, fetchRed, fetchServices, type RedSeries } from './api-client.ts';
import { lineChart } from './chart.ts';
import { button, filterBar, select } from './controls.ts';
import { el, replaceChildren } from './dom.ts';
import { formatDuration, formatPercent, formatRate } from './format.ts';
import { emptyMessage, errorMessage } from './messages.ts';
import { go, pageHref } from './router.ts';
import { serviceMap } from './service-map.ts';
import { addRange, timeRange, timeRangeControl } from './time-range.ts';

/**
 * The services: the map of who calls whom (calls and errors on each arrow), and for the chosen
 * service the rate, error rate and p50/p95/p99 latency of each route over time.
 */
export async function renderServices(root: HTMLElement, query: URLSearchParams): Promise<void> {
  const range = timeRange(query);
  const [services, edges] = await Promise.all([
    fetchServices(),
    fetchDependencies(addRange(new URLSearchParams(), range)).catch((error: unknown) => error),
  ]);
  const change = (next: URLSearchParams) => go(pageHref('services', next));
  const choose = (service: string) => {
    const next = new URLSearchParams(query);
    next.set('service', service);
    change(next);
  };
  const called = Array.isArray(edges) ? new Set(edges.map((e) => e.child)) : new Set<string>();
  // By default the service that calls others and is called by none: the entry point.
  const selected =
    query.get('service') ||
    services.find(
      (s) => !called.has(s) && Array.isArray(edges) && edges.some((e) => e.parent === s),
    ) ||
    services[0];
  const bar = filterBar(
    timeRangeControl(query, change),
    select(
      'red-service',
      'Service',
      services.map((s): [string, string] => [s, s]),
      selected,
      choose,
    ),
    button('Refresh', () => go(pageHref('services', query)), { id: 'refresh' }),
  );
  if (services.length === 0) {
    replaceChildren(
      root,
      el('h1', { text: 'Services' }),
      bar,
      emptyMessage('No services yet.', 'Send OTLP to /v1/traces on this port.'),
    );
    return;
  }
  const map = Array.isArray(edges)
    ? el(
        'section',
        { className: 'panel' },
        el('h2', { text: 'Service map' }),
        edges.length === 0
          ? el('p', {
              className: 'muted',
              text: 'No calls between services in this range: every span’s parent is in its own service.',
            })
          : null,
        serviceMap(services, edges, selected, choose),
      )
    : errorMessage(edges);
  let red: HTMLElement;
  try {
    const api = addRange(new URLSearchParams({ service: selected ?? '' }), range);
    const answer = await fetchRed(api);
    red = redSection(selected ?? '', answer.series, answer.stepMs);
  } catch (error) {
    red = errorMessage(error);
  }
  replaceChildren(root, el('h1', { text: 'Services' }), bar, map, red);
}

function redSection(service: string, series: RedSeries[], stepMs: number): HTMLElement {
  const source =
    series[0]?.source === 'metric' ? 'the http.server.request.duration histogram' : 'server spans';
  return el(
    'section',
    { className: 'panel', id: 'red-charts' },
    el('h2', { text: `${service}: requests, errors and latency by route` }),
    series.length
      ? el('p', {
          className: 'muted',
          text: `From ${source}, ${Math.round(stepMs / 60_000)} min per point.`,
        })
      : el('p', {
          className: 'muted',
          text: `${service} served no requests in this range (no server spans, no http.server.request.duration).`,
        }),
    ...series.map((s) => {
      const times = s.points.map((p) => p.t);
      return el(
        'div',
        { className: 'red-route', testId: 'red-route' },
        el('h3', { className: 'route-name', text: s.route || '(no route)' }),
        el(
          'div',
          { className: 'chart-row' },
          lineChart({
            title: 'Requests',
            times,
            series: [{ label: 'rate', values: s.points.map((p) => p.rate) }],
            format: formatRate,
          }),
          lineChart({
            title: 'Errors',
            times,
            series: [{ label: 'error rate', values: s.points.map((p) => p.errorRate) }],
            format: formatPercent,
          }),
          lineChart({
            title: 'Latency',
            times,
            series: [
              { label: 'p50', values: s.points.map((p) => p.p50) },
              { label: 'p95', values: s.points.map((p) => p.p95) },
              { label: 'p99', values: s.points.map((p) => p.p99) },
            ],
            format: formatDuration,
          }),
        ),
      );
    }),
  );
}
