import { chartScale } from './chart-scale.ts';
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

// The plot's own units; it is stretched to the chart's size, lines keeping their width, while
// the axes are text of the page at its own size (a scaled SVG would shrink them).
const plotWidth = 1000;
const plotHeight = 100;

/**
 * A line chart: the y axis from zero (or the lowest negative value) to a round maximum,
 * labelled in round steps; the range's start, middle and end on x; a tooltip per step.
 */
export function lineChart(options: ChartOptions): HTMLElement {
  const numeric = options.series.map((s) => s.values.map(toNumber));
  const present = numeric.flat().filter((v): v is number => v !== null);
  const scale = chartScale(present);
  const steps = Math.max(options.times.length - 1, 1);
  const x = (i: number) => (i / steps) * plotWidth;
  const y = (v: number) => plotHeight - ((v - scale.min) / (scale.max - scale.min)) * plotHeight;
  const plot = svg('svg', {
    viewBox: `0 0 ${plotWidth} ${plotHeight}`,
    preserveAspectRatio: 'none',
    class: 'chart-svg',
    role: 'img',
    'aria-label': options.title,
  });
  for (const tick of scale.ticks) {
    plot.append(
      svg('line', {
        x1: 0,
        x2: plotWidth,
        y1: y(tick),
        y2: y(tick),
        class: tick === 0 && scale.min < 0 ? 'grid zero' : 'grid',
        'vector-effect': 'non-scaling-stroke',
      }),
    );
  }
  const span = (options.times.at(-1) ?? 0) - (options.times[0] ?? 0);
  const withDate = span > 20 * 60 * 60 * 1000;
  numeric.forEach((values, s) => {
    let line = '';
    let dots = '';
    values.forEach((value, i) => {
      if (value === null) return;
      const point = `${x(i).toFixed(2)} ${y(value).toFixed(2)}`;
      const before = i > 0 && values[i - 1] !== null;
      const after = i + 1 < values.length && values[i + 1] !== null;
      if (before) line += `L${point} `;
      else if (after) line += `M${point} `;
      // A point with no neighbour draws no line: a dot (a zero-length round-capped stroke).
      else dots += `M${point} l0 0 `;
    });
    const color = palette[s % palette.length]!;
    const draw = (d: string, className: string) =>
      plot.append(
        svg('path', {
          d,
          fill: 'none',
          stroke: color,
          'stroke-linecap': 'round',
          'stroke-linejoin': 'round',
          'vector-effect': 'non-scaling-stroke',
          class: className,
        }),
      );
    if (line) draw(line, 'series');
    if (dots) draw(dots, 'series dots');
  });
  // One invisible column per step carries the values of the step as its tooltip.
  if (options.times.length <= 400) {
    options.times.forEach((time, i) => {
      const shown = options.series
        .map((series, s) => {
          const value = numeric[s]![i];
          return value === null || value === undefined
            ? ''
            : `${series.label} ${options.format(value)}`;
        })
        .filter(Boolean);
      if (shown.length === 0) return;
      const widthOf = plotWidth / Math.max(options.times.length, 1);
      plot.append(
        svg(
          'rect',
          {
            x: x(i) - widthOf / 2,
            y: 0,
            width: widthOf,
            height: plotHeight,
            class: 'hover-column',
          },
          svg('title', { text: `${formatClock(time, withDate)}: ${shown.join(', ')}` }),
        ),
      );
    });
  }
  const labels = scale.ticks.map((tick) => options.format(tick));
  const yAxis = el('div', { className: 'y-axis' });
  yAxis.style.width = `${Math.max(...labels.map((l) => l.length), 2) + 1}ch`;
  scale.ticks.forEach((tick, i) => {
    const label = el('span', { className: 'axis-label y-label', text: labels[i]! });
    label.style.top = `${(y(tick) / plotHeight) * 100}%`;
    yAxis.append(label);
  });
  const xAxis = el('div', { className: 'x-axis' });
  for (const [i, position] of [
    [0, 'start'],
    [Math.floor(steps / 2), 'middle'],
    [steps, 'end'],
  ] as const) {
    const time = options.times[i];
    if (time === undefined) continue;
    const label = el('span', {
      className: `axis-label x-label ${position}`,
      text: formatClock(time, withDate),
    });
    label.style.left = `${(x(i) / plotWidth) * 100}%`;
    xAxis.append(label);
  }
  const hasData = present.length > 0;
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
    hasData
      ? el(
          'div',
          { className: 'chart-body' },
          yAxis,
          el('div', { className: 'plot' }, plot),
          el('div', {}),
          xAxis,
        )
      : el('p', { className: 'muted no-data', text: 'No data in this range' }),
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
