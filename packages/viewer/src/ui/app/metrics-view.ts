import { fetchMetrics, type Metric, type MetricPoint } from './api-client.ts';
import { el, replaceChildren } from './dom.ts';
import { formatTime, formatValue } from './format.ts';

/** The latest point of every metric series: values for counters and gauges, buckets for histograms. */
export async function renderMetrics(root: HTMLElement): Promise<void> {
  const metrics = await fetchMetrics();
  if (metrics.length === 0) {
    replaceChildren(
      root,
      el('p', {
        className: 'empty',
        text: 'No metrics yet. Send OTLP to /v1/metrics on this port.',
      }),
    );
    return;
  }
  replaceChildren(
    root,
    el('div', { className: 'metrics', id: 'metrics' }, ...metrics.map(metricCard)),
  );
}

function metricCard(metric: Metric): HTMLElement {
  const unit = metric.unit ? ` (${metric.unit})` : '';
  return el(
    'section',
    { className: 'metric-card' },
    el(
      'h2',
      {},
      el('span', { text: metric.name }),
      el('span', { className: 'badge', text: typeLabel(metric) }),
    ),
    el('p', {
      className: 'muted',
      text: `${metric.service}${unit}${metric.description ? ` · ${metric.description}` : ''}`,
    }),
    ...metric.points.map((point) => pointBlock(metric, point)),
  );
}

function typeLabel(metric: Metric): string {
  if (metric.type !== 'sum') return metric.type;
  return metric.points[0]?.isMonotonic ? 'counter' : 'up-down counter';
}

function seriesLabel(point: MetricPoint): string {
  if (point.attributes.length === 0) return '(no attributes)';
  return point.attributes.map((kv) => `${kv.key}=${formatValue(kv.value)}`).join(', ');
}

function pointBlock(metric: Metric, point: MetricPoint): HTMLElement {
  const head = el(
    'div',
    { className: 'series' },
    el('span', { text: seriesLabel(point) }),
    el('span', { className: 'muted', text: formatTime(point.timeUnixNano) }),
  );
  if (metric.type === 'histogram') return el('div', { className: 'point' }, head, histogram(point));
  if (metric.type === 'gauge' || metric.type === 'sum') {
    const value = point.asDouble ?? point.asInt ?? '';
    return el(
      'div',
      { className: 'point' },
      head,
      el('div', { className: 'value big', text: String(value) }),
    );
  }
  const summary = ['count', 'sum', 'min', 'max', 'scale', 'zeroCount']
    .filter((key) => point[key] !== undefined)
    .map((key) => `${key} ${String(point[key])}`)
    .join(' · ');
  return el('div', { className: 'point' }, head, el('div', { className: 'value', text: summary }));
}

function histogram(point: MetricPoint): HTMLElement {
  const counts = ((point.bucketCounts as string[] | undefined) ?? []).map(Number);
  const bounds = (point.explicitBounds as number[] | undefined) ?? [];
  const most = Math.max(...counts, 1);
  const rows = counts.map((count, i) => {
    const label = i < bounds.length ? `≤ ${bounds[i]}` : `> ${bounds.at(-1) ?? '−∞'}`;
    const bar = el('div', { className: 'bucket-bar' });
    bar.style.width = `${(count / most) * 100}%`;
    return el(
      'div',
      { className: 'bucket' },
      el('span', { className: 'bucket-label', text: label }),
      el('div', { className: 'bucket-track' }, bar),
      el('span', { className: 'num', text: String(count) }),
    );
  });
  const stats = ['count', 'sum', 'min', 'max']
    .filter((key) => point[key] !== undefined)
    .map((key) => `${key} ${String(point[key])}`)
    .join(' · ');
  return el(
    'div',
    { className: 'histogram' },
    el('div', { className: 'muted', text: stats }),
    ...rows,
  );
}
