import {
  fetchMetricSeries,
  fetchMetrics,
  fetchServices,
  type KeyValue,
  type MetricSeriesView,
} from './api-client.ts';
import { type ChartSeries, lineChart } from './chart.ts';
import { button, filterBar, serviceSelect, withParam } from './controls.ts';
import { el, replaceChildren } from './dom.ts';
import { formatNumber, formatValue, formatWithUnit, plural } from './format.ts';
import { emptyMessage, errorMessage } from './messages.ts';
import { go, pageHref } from './router.ts';
import { addRange, timeRange, timeRangeControl } from './time-range.ts';

const maxLines = 8;
const maxDistributions = 4;

/**
 * Every metric over the time range: counters as a rate, gauges and up-down counters as their
 * value, histograms as p50/p95/p99 and how many values each step recorded; numbers in the
 * metric's unit.
 */
export async function renderMetrics(root: HTMLElement, query: URLSearchParams): Promise<void> {
  const [services, latest] = await Promise.all([fetchServices(), fetchMetrics()]);
  const service = query.get('service') ?? '';
  const change = (next: URLSearchParams) => go(pageHref('metrics', next));
  const bar = filterBar(
    serviceSelect('metrics-service', services, service, (value) =>
      change(withParam(query, 'service', value)),
    ),
    timeRangeControl(query, change),
    button('Refresh', () => go(pageHref('metrics', query)), { id: 'refresh' }),
  );
  const names = [
    ...new Set(latest.filter((m) => !service || m.service === service).map((m) => m.name)),
  ].sort();
  if (names.length === 0) {
    replaceChildren(
      root,
      el('h1', { text: 'Metrics' }),
      bar,
      service
        ? emptyMessage(`${service} has sent no metrics.`)
        : emptyMessage('No metrics yet.', 'Send OTLP to /v1/metrics on this port.'),
    );
    return;
  }
  const range = timeRange(query);
  const cards = await Promise.all(
    names.map(async (name) => {
      const api = addRange(new URLSearchParams({ name }), range);
      if (service) api.set('service', service);
      try {
        return metricCard(await fetchMetricSeries(api));
      } catch (error) {
        return el(
          'section',
          { className: 'metric-card' },
          el('h2', { text: name }),
          errorMessage(error),
        );
      }
    }),
  );
  replaceChildren(
    root,
    el('h1', { text: 'Metrics' }),
    bar,
    el('div', { className: 'metrics', id: 'metrics' }, ...cards),
  );
}

function metricCard(view: MetricSeriesView): HTMLElement {
  const monotonic = view.kind === 'rate';
  const typeLabel =
    view.type === 'sum'
      ? monotonic
        ? 'counter'
        : 'up-down counter'
      : view.type === 'exponentialHistogram'
        ? 'histogram'
        : view.type;
  const times = view.series[0]?.points.map((p) => p.t) ?? [];
  const label = (s: MetricSeriesView['series'][number]) =>
    [s.service, seriesLabel(s.attributes)].filter(Boolean).join(' · ') || view.name;
  const inUnit = (value: number) => formatWithUnit(value, view.unit);
  let charts: HTMLElement[];
  if (view.kind === 'distribution') {
    charts = view.series.slice(0, maxDistributions).flatMap((s) => [
      lineChart({
        title: `${label(s)}: p50, p95, p99`,
        times,
        series: [
          { label: 'p50', values: s.points.map((p) => p.p50) },
          { label: 'p95', values: s.points.map((p) => p.p95) },
          { label: 'p99', values: s.points.map((p) => p.p99) },
        ],
        format: inUnit,
        className: 'metric-chart',
      }),
      lineChart({
        title: `${label(s)}: count per step`,
        times,
        series: [{ label: 'count', values: s.points.map((p) => p.count) }],
        format: formatNumber,
        className: 'metric-chart',
      }),
    ]);
  } else {
    const series: ChartSeries[] = view.series.slice(0, maxLines).map((s) => ({
      label: label(s),
      values: s.points.map((p) => (monotonic ? p.rate : p.value)),
    }));
    charts = [
      lineChart({
        title: monotonic ? 'rate per second' : 'value',
        times,
        series,
        format: monotonic ? (v) => `${inUnit(v)}/s` : inUnit,
        className: 'metric-chart',
      }),
    ];
  }
  const more = view.series.length - (view.kind === 'distribution' ? maxDistributions : maxLines);
  return el(
    'section',
    { className: 'metric-card', testId: 'metric-card' },
    el(
      'h2',
      {},
      el('span', { text: view.name }),
      el('span', { className: 'badge', text: typeLabel }),
    ),
    el('p', {
      className: 'muted',
      text: [
        view.unit && `unit ${view.unit}`,
        view.description,
        plural(view.series.length, 'series', 'series'),
      ]
        .filter(Boolean)
        .join(' · '),
    }),
    el('div', { className: 'chart-row' }, ...charts),
    more > 0
      ? el('p', {
          className: 'muted',
          text: `and ${more.toLocaleString('en-US')} more series (choose a service to narrow)`,
        })
      : null,
  );
}

function seriesLabel(attributes: KeyValue[]): string {
  return attributes.map((kv) => `${kv.key}=${formatValue(kv.value)}`).join(', ');
}
