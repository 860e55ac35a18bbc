import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { type JsonKeyValue, type PackedList, unpackList } from '../format/packed-value.ts';
import { doubleToJson } from '../receiver/any-value.ts';
import {
  addBuckets,
  type BucketHistogram,
  bucketQuantile,
  parseBuckets,
  subtractBuckets,
} from './bucket-histogram.ts';
import { type DeltaOps, deltaPerStep, lastPerStep, type RawPoint } from './series-steps.ts';
import { StatementCache } from './statement-cache.ts';
import { type StepGrid, stepEndingAt, stepGrid, stepSeconds } from './step-grid.ts';

/** Which metric to chart, and over what. */
export interface MetricSeriesFilter {
  name: string;
  service?: string;
  /** Range start (ms since the epoch); the metric's first point when not given. */
  sinceMs?: number;
  /** Range end (ms since the epoch); now when not given. */
  untilMs?: number;
  /** Step of the chart; about 60 steps over the range when not given. */
  stepMs?: number;
}

/** One step of a chart; a field is null when the step has no data. */
export interface SeriesPoint {
  /** Start of the step, in ms since the epoch. */
  t: number;
  /** A gauge's or up-down counter's last value in the step. */
  value?: number | string | null;
  /** A counter's increase per second. */
  rate?: number | null;
  /** A histogram's values recorded in the step, and their quantiles in the metric's unit. */
  count?: number | null;
  p50?: number | null;
  p95?: number | null;
  p99?: number | null;
}

/** One attribute set of a metric from one resource. */
export interface MetricSeries {
  service: string;
  attributes: JsonKeyValue[];
  points: SeriesPoint[];
}

/** A metric's series over a range. */
export interface MetricSeriesView {
  name: string;
  description: string;
  unit: string;
  /** `gauge`, `sum`, `histogram`, `exponentialHistogram` or `summary`. */
  type: string;
  /** How to chart it: counters as `rate`, gauges as `value`, histograms as `distribution`. */
  kind: 'rate' | 'value' | 'distribution';
  since: number;
  stepMs: number;
  series: MetricSeries[];
}

/** The points of one series, grouped for a chart. */
export interface RawSeries {
  service: string;
  attributes: string;
  type: string;
  cumulative: boolean;
  monotonic: boolean;
  points: RawPoint[];
}

/** The raw series of a metric over a grid, and where the fetched points begin. */
export interface FetchedSeries {
  grid: StepGrid;
  fetchedFromMs: number;
  series: RawSeries[];
  meta: { description: string; unit: string; type: string } | undefined;
}

const sumOps: DeltaOps<number> = {
  parse: (value) => pointNumber(JSON.parse(value) as Record<string, unknown>),
  minus: (later, earlier) => (later >= earlier ? later - earlier : undefined),
  plus: (a, b) => a + b,
};

/** Histogram deltas over the points of a series of `type`. */
export function bucketOps(type: string): DeltaOps<BucketHistogram> {
  return {
    parse: (value) => parseBuckets(type, JSON.parse(value) as Record<string, unknown>),
    minus: subtractBuckets,
    plus: addBuckets,
  };
}

const quantiles = [0.5, 0.95, 0.99] as const;

/** Metric charts: each series of a metric over a time range, step by step. */
export class MetricSeriesQueries {
  readonly #statements: StatementCache;

  constructor(db: DatabaseSync) {
    this.#statements = new StatementCache(db);
  }

  /** The series of metric `filter.name`; undefined when no such metric is stored. */
  query(filter: MetricSeriesFilter): MetricSeriesView | undefined {
    const fetched = this.fetch(filter, 1000);
    if (!fetched.meta) return undefined;
    const { grid, series } = fetched;
    const type = fetched.meta.type;
    const monotonic = series.some((s) => s.monotonic);
    const kind =
      type === 'histogram' || type === 'exponentialHistogram' || type === 'summary'
        ? 'distribution'
        : type === 'sum' && monotonic
          ? 'rate'
          : 'value';
    return {
      name: filter.name,
      ...fetched.meta,
      kind,
      since: grid.startMs,
      stepMs: grid.stepMs,
      series: series
        .filter((s) => s.type === type)
        .map((s) => ({
          service: s.service,
          attributes: unpackList(JSON.parse(s.attributes) as PackedList),
          points: this.#points(s, kind, grid, fetched.fetchedFromMs),
        })),
    };
  }

  /**
   * The stored points of a metric over the grid of the range, grouped by series, with one step
   * before the range (or ten minutes) to give cumulative series their baseline. When the
   * metric's latest point is cumulative or a gauge, only the last point of each series in each
   * step is read: all a chart of it needs.
   */
  fetch(filter: MetricSeriesFilter, minStepMs: number): FetchedSeries {
    const untilMs = filter.untilMs ?? Date.now();
    const params: Record<string, SQLInputValue> = { name: filter.name };
    const byService = filter.service === undefined ? '' : ' AND service = $service';
    if (filter.service !== undefined) params.service = filter.service;
    const latest = this.#statements
      .get(`SELECT type, unit, description, value FROM metric_points
      WHERE name = $name${byService} ORDER BY time_ns DESC LIMIT 1`)
      .get(params);
    if (!latest) {
      return {
        grid: stepGrid(untilMs, untilMs, undefined, minStepMs),
        fetchedFromMs: untilMs,
        series: [],
        meta: undefined,
      };
    }
    const meta = {
      description: String(latest.description),
      unit: String(latest.unit),
      type: String(latest.type),
    };
    const sinceMs =
      filter.sinceMs ??
      Number(
        this.#statements
          .get(`SELECT min(time_ns) / 1e6 AS t FROM metric_points
          WHERE name = $name${byService}`)
          .get(params)?.t ?? untilMs,
      );
    const grid = stepGrid(sinceMs, untilMs, filter.stepMs, minStepMs);
    const lookbackSteps = Math.ceil(Math.max(grid.stepMs, 10 * 60_000) / grid.stepMs);
    const fetchedFromMs = grid.startMs - lookbackSteps * grid.stepMs;
    const deltas =
      (JSON.parse(String(latest.value)) as { aggregationTemporality?: number })
        .aggregationTemporality === 1;
    const range = {
      from: BigInt(Math.floor(fetchedFromMs)) * 1_000_000n,
      to: BigInt(Math.floor(untilMs)) * 1_000_000n + 999_999n,
    };
    const series = deltas
      ? this.#allPoints(params, byService, range)
      : this.#lastPerStep(filter, grid, fetchedFromMs, range.to);
    return { grid, fetchedFromMs, series, meta };
  }

  // Every point in the range, for delta series (each point adds to its step).
  #allPoints(
    params: Record<string, SQLInputValue>,
    byService: string,
    range: { from: bigint; to: bigint },
  ): RawSeries[] {
    const rows = this.#statements
      .get(`SELECT resource_id, service, attributes, type,
      CAST(start_time_ns AS TEXT) AS start, time_ns / 1e6 AS time_ms, value FROM metric_points
      WHERE name = $name${byService} AND time_ns BETWEEN $from AND $to ORDER BY time_ns, id`)
      .all({
        ...params,
        ...range,
      });
    const series = new Map<string, RawSeries>();
    for (const row of rows) {
      const key = `${row.resource_id}\u0000${row.attributes}`;
      let entry = series.get(key);
      if (!entry) {
        entry = newSeries(
          String(row.service),
          String(row.attributes),
          String(row.type),
          String(row.value),
        );
        series.set(key, entry);
      }
      entry.points.push({
        timeMs: Number(row.time_ms),
        start: String(row.start),
        value: String(row.value),
      });
    }
    return [...series.values()];
  }

  // The last point of each series in each step, found from the newest backwards: one index seek
  // per step with data (and one before the range, the baseline), however many points a step has.
  #lastPerStep(
    filter: MetricSeriesFilter,
    grid: StepGrid,
    fetchedFromMs: number,
    toNs: bigint,
  ): RawSeries[] {
    const seriesRows = this.#statements
      .get(
        filter.service === undefined
          ? 'SELECT DISTINCT resource_id, attributes FROM metric_points WHERE name = ?'
          : `SELECT DISTINCT resource_id, attributes FROM metric_points WHERE name = ?
           AND resource_id IN (SELECT id FROM origins WHERE service = ?)`,
      )
      .all(...(filter.service === undefined ? [filter.name] : [filter.name, filter.service]));
    const probe = this.#statements.get(`SELECT CAST(start_time_ns AS TEXT) AS start,
      time_ns / 1e6 AS time_ms, value, type, service FROM metric_points
      WHERE name = ? AND resource_id = ? AND attributes = ? AND time_ns <= ?
      ORDER BY time_ns DESC LIMIT 1`);
    const result: RawSeries[] = [];
    for (const { resource_id: resourceId, attributes } of seriesRows) {
      const points: RawPoint[] = [];
      let atOrBefore = toNs;
      let found: Record<string, SQLInputValue> | undefined;
      for (;;) {
        const row = probe.get(filter.name, resourceId!, attributes!, atOrBefore);
        if (!row) break;
        found ??= row;
        const timeMs = Number(row.time_ms);
        points.push({ timeMs, start: String(row.start), value: String(row.value) });
        if (timeMs < fetchedFromMs) break;
        // The next probe looks at or before the end of the previous step.
        const stepStart = grid.startMs + stepEndingAt(grid, timeMs) * grid.stepMs;
        atOrBefore = BigInt(Math.floor(stepStart)) * 1_000_000n;
      }
      if (!found || points.every((p) => p.timeMs < fetchedFromMs)) continue;
      points.reverse();
      result.push(
        newSeries(
          String(found.service),
          String(attributes),
          String(found.type),
          points.at(-1)!.value,
          points,
        ),
      );
    }
    return result;
  }

  #points(
    series: RawSeries,
    kind: MetricSeriesView['kind'],
    grid: StepGrid,
    fetchedFromMs: number,
  ): SeriesPoint[] {
    const t = (step: number) => grid.startMs + step * grid.stepMs;
    if (kind === 'value') {
      return lastPerStep(series.points, grid).map((point, step) => ({
        t: t(step),
        value: point ? doubleToJson(pointNumber(JSON.parse(point.value))) : null,
      }));
    }
    if (kind === 'rate') {
      return deltaPerStep(series.points, grid, series.cumulative, sumOps, fetchedFromMs).map(
        (delta, step) => ({
          t: t(step),
          rate: delta === undefined ? null : delta / stepSeconds(grid, step),
        }),
      );
    }
    if (series.type === 'summary') {
      const counts = deltaPerStep(series.points, grid, true, countOps, fetchedFromMs);
      return lastPerStep(series.points, grid).map((point, step) => ({
        t: t(step),
        count: counts[step] ?? null,
        ...summaryQuantiles(point),
      }));
    }
    const ops = bucketOps(series.type);
    return deltaPerStep(series.points, grid, series.cumulative, ops, fetchedFromMs).map(
      (histogram, step) => ({ t: t(step), ...distribution(histogram) }),
    );
  }
}

function newSeries(
  service: string,
  attributes: string,
  type: string,
  value: string,
  points: RawPoint[] = [],
): RawSeries {
  const parsed = JSON.parse(value) as Record<string, unknown>;
  return {
    service,
    attributes,
    type,
    cumulative: parsed.aggregationTemporality !== 1,
    monotonic: parsed.isMonotonic === true,
    points,
  };
}

/** A histogram step as a chart point: how many values, and their p50, p95 and p99. */
export function distribution(histogram: BucketHistogram | undefined): Omit<SeriesPoint, 't'> {
  if (!histogram || histogram.count === 0) {
    return { count: histogram ? 0 : null, p50: null, p95: null, p99: null };
  }
  const [p50, p95, p99] = quantiles.map((q) => bucketQuantile(histogram, q) ?? null);
  return { count: histogram.count, p50, p95, p99 };
}

const countOps: DeltaOps<number> = {
  parse: (value) => Number((JSON.parse(value) as { count?: string }).count ?? 0),
  minus: (later, earlier) => (later >= earlier ? later - earlier : undefined),
  plus: (a, b) => a + b,
};

function summaryQuantiles(point: RawPoint | undefined): Omit<SeriesPoint, 't' | 'count'> {
  const values = point
    ? (((JSON.parse(point.value) as { quantileValues?: { quantile: number; value: number }[] })
        .quantileValues ?? []) as { quantile: number; value: number }[])
    : [];
  const nearest = (q: number) => {
    const found = values.find((v) => Math.abs(Number(v.quantile) - q) < 1e-9);
    return found ? Number(found.value) : null;
  };
  return { p50: nearest(0.5), p95: nearest(0.95), p99: nearest(0.99) };
}

/** The number of a gauge or sum point (`asDouble`, or `asInt` as a number). */
function pointNumber(value: Record<string, unknown>): number {
  if (value.asDouble !== undefined) return Number(value.asDouble);
  if (value.asInt !== undefined) return Number(value.asInt);
  return Number.NaN;
}
