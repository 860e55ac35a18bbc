import { el, svg } from './dom.ts';
import { formatClock } from './format.ts';

/** One line of a chart: a value per step, null where the step has no data. */
export interface ChartSeries {
  label: string;
  values: (number | string | null | undefined)[];
}

/** What {@link lineChart} draws. */
export interface ChartOptions {
  title: string;
  /** Start of each step, in ms since the epoch. */
  times: number[];
  series: ChartSeries[];
  /** Formats a value for the axis, the legend and the tooltips. */
  format: (value: number) => string;
  className?: string;
}

/** The palette of lines and services, in order. */
export const palette = [
  '#4f7cff',
  '#e5484d',
  '#22a06b',
  '#f5a524',
  '#8e4ec6',
  '#0091a8',
  '#d6409f',
  '#6e7b8c',
];

const width = 480;
const height = 150;
const margin = { left: 56, right: 10, top: 10, bottom: 22 };

/** A line chart in SVG: y from zero to a round maximum, the range's start, middle and end on x. */
export function lineChart(options: ChartOptions): HTMLElement {
  const numeric = options.series.map((s) => s.values.map(toNumber));
  const max = niceMax(Math.max(0, ...numeric.flat().filter((v): v is number => v !== null)));
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const steps = Math.max(options.times.length - 1, 1);
  const x = (i: number) => margin.left + (i / steps) * plotW;
  const y = (v: number) => margin.top + plotH - (max === 0 ? 0 : (v / max) * plotH);
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart-svg',
    role: 'img',
    'aria-label': options.title,
  });
  for (const fraction of [0, 0.5, 1]) {
    const value = max * fraction;
    chart.append(
      svg('line', {
        x1: margin.left,
        x2: width - margin.right,
        y1: y(value),
        y2: y(value),
        class: 'grid',
      }),
      svg('text', {
        x: margin.left - 6,
        y: y(value) + 4,
        'text-anchor': 'end',
        class: 'axis-label',
        text: options.format(value),
      }),
    );
  }
  const span = (options.times.at(-1) ?? 0) - (options.times[0] ?? 0);
  const withDate = span > 20 * 60 * 60 * 1000;
  for (const [i, anchor] of [
    [0, 'start'],
    [Math.floor(steps / 2), 'middle'],
    [steps, 'end'],
  ] as const) {
    const time = options.times[i];
    if (time === undefined) continue;
    chart.append(
      svg('text', {
        x: x(i),
        y: height - 6,
        'text-anchor': anchor,
        class: 'axis-label',
        text: formatClock(time, withDate),
      }),
    );
  }
  numeric.forEach((values, s) => {
    const color = palette[s % palette.length]!;
    let path = '';
    let pen = false;
    values.forEach((value, i) => {
      if (value === null) {
        pen = false;
        return;
      }
      path += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(value).toFixed(1)} `;
      pen = true;
    });
    if (path)
      chart.append(svg('path', { d: path, fill: 'none', stroke: color, 'stroke-width': 1.6 }));
    if (values.length <= 180) {
      values.forEach((value, i) => {
        if (value === null) return;
        const time = options.times[i] ?? 0;
        chart.append(
          svg(
            'circle',
            { cx: x(i), cy: y(value), r: 2.2, fill: color, class: 'point' },
            svg('title', {
              text: `${options.series[s]!.label}: ${options.format(value)} at ${formatClock(time, withDate)}`,
            }),
          ),
        );
      });
    }
  });
  const hasData = numeric.some((values) => values.some((v) => v !== null));
  const legend = el(
    'div',
    { className: 'legend' },
    ...options.series.map((series, s) => {
      const last = numeric[s]!.filter((v): v is number => v !== null).at(-1);
      const swatch = el('span', { className: 'swatch' });
      swatch.style.background = palette[s % palette.length]!;
      return el(
        'span',
        { className: 'legend-item' },
        swatch,
        `${series.label}${last === undefined ? '' : ` ${options.format(last)}`}`,
      );
    }),
  );
  return el(
    'figure',
    { className: `chart ${options.className ?? ''}`.trim() },
    el('figcaption', { text: options.title }),
    hasData ? chart : el('p', { className: 'muted no-data', text: 'No data in this range' }),
    hasData ? legend : null,
  );
}

/** A small bar chart of counts, for a row of a table. */
export function sparkline(counts: number[], title: string): SVGSVGElement {
  const w = 120;
  const h = 24;
  const max = Math.max(1, ...counts);
  const barW = w / Math.max(counts.length, 1);
  const chart = svg('svg', {
    viewBox: `0 0 ${w} ${h}`,
    class: 'sparkline',
    role: 'img',
    'aria-label': title,
  });
  chart.append(svg('title', { text: title }));
  counts.forEach((count, i) => {
    if (count === 0) return;
    const barH = Math.max(1.5, (count / max) * (h - 2));
    chart.append(
      svg('rect', {
        x: i * barW + 0.5,
        y: h - barH,
        width: Math.max(barW - 1, 1),
        height: barH,
        class: 'spark-bar',
      }),
    );
  });
  return chart;
}

function toNumber(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

// The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value`.
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
