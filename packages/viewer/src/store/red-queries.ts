import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { PackedList } from '../format/packed-value.ts';
import { addBuckets, type BucketHistogram, bucketQuantile } from './bucket-histogram.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import { bucketOps, type MetricSeriesQueries } from './metric-series.ts';
import { deltaPerStep } from './series-steps.ts';
import { StatementCache } from './statement-cache.ts';
import { type StepGrid, stepGrid, stepOf, stepSeconds } from './step-grid.ts';

/** Which requests to chart. */
export interface RedFilter {
  service?: string;
  route?: string;
  sinceMs?: number;
  untilMs?: number;
  stepMs?: number;
}

/** Requests of one step; the error rate and latencies are null without requests. */
export interface RedPoint {
  /** Start of the step, in ms since the epoch. */
  t: number;
  /** Requests per second; null for a step the histogram has not reported on yet. */
  rate: number | null;
  /** Share of requests that failed, 0–1. */
  errorRate: number | null;
  /** Latency quantiles in milliseconds. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** The requests of one route of one service. */
export interface RedSeries {
  service: string;
  route: string;
  /** `metric` (the `http.server.request.duration` histogram) or `spans` (server spans). */
  source: 'metric' | 'spans';
  points: RedPoint[];
}

/** RED charts over a range. */
export interface RedView {
  since: number;
  stepMs: number;
  series: RedSeries[];
}

const durationMetric = 'http.server.request.duration';
const minuteMs = 60_000;

interface Step {
  /** Whether anything reported on the step (a histogram may not have yet). */
  known: boolean;
  count: number;
  errors: number;
  quantile: (q: number) => number | undefined;
}

/**
 * Request rate, error rate and latency per service and route, step by step: from the
 * `http.server.request.duration` histogram of a service that sends it, else from its server
 * spans (folded into `red_buckets` at ingest, so steps are whole minutes).
 */
export class RedQueries {
  readonly #metrics: MetricSeriesQueries;
  readonly #statements: StatementCache;

  constructor(db: DatabaseSync, metrics: MetricSeriesQueries) {
    this.#statements = new StatementCache(db);
    this.#metrics = metrics;
  }

  series(filter: RedFilter): RedView {
    const untilMs = filter.untilMs ?? Date.now();
    const sinceMs = filter.sinceMs ?? this.#earliest(filter.service) ?? untilMs;
    const grid = stepGrid(sinceMs, untilMs, filter.stepMs, minuteMs);
    const range = { ...filter, sinceMs: grid.startMs, untilMs, stepMs: grid.stepMs };
    // A service that sends the histogram is charted from it alone, whatever the route asked.
    const measured = new Set<string>();
    const fromMetric = this.#fromMetric(range, grid, measured);
    const fromSpans =
      filter.service !== undefined && measured.has(filter.service)
        ? []
        : this.#fromSpans(range, grid, measured);
    const series = [...fromMetric, ...fromSpans].sort(
      (a, b) => a.service.localeCompare(b.service) || a.route.localeCompare(b.route),
    );
    return { since: grid.startMs, stepMs: grid.stepMs, series };
  }

  #fromMetric(filter: RedFilter, grid: StepGrid, measured: Set<string>): RedSeries[] {
    const fetched = this.#metrics.fetch({ ...filter, name: durationMetric }, minuteMs);
    for (const series of fetched.series) measured.add(series.service);
    const scale = fetched.meta?.unit === 's' ? 1000 : 1;
    const groups = new Map<string, { service: string; route: string; steps: Step[] }>();
    const merged = new Map<string, (BucketHistogram | undefined)[]>();
    for (const series of fetched.series) {
      if (series.type !== 'histogram' && series.type !== 'exponentialHistogram') continue;
      const attributes = JSON.parse(series.attributes) as PackedList;
      const route = String(attributeOf(attributes, 'http.route') ?? '');
      if (filter.route !== undefined && route !== filter.route) continue;
      const status = Number(attributeOf(attributes, 'http.response.status_code') ?? 0);
      const failed = status >= 500 || attributeOf(attributes, 'error.type') !== undefined;
      const deltas = deltaPerStep(
        series.points,
        grid,
        series.cumulative,
        bucketOps(series.type),
        fetched.fetchedFromMs,
      );
      const key = `${series.service}\u0000${route}`;
      let group = groups.get(key);
      if (!group) {
        group = { service: series.service, route, steps: emptySteps(grid, false) };
        groups.set(key, group);
        merged.set(key, new Array(grid.steps).fill(undefined));
      }
      const histograms = merged.get(key)!;
      deltas.forEach((delta, step) => {
        if (!delta) return;
        const current = histograms[step];
        histograms[step] = current ? addBuckets(current, delta) : delta;
        group.steps[step]!.known = true;
        group.steps[step]!.count += delta.count;
        if (failed) group.steps[step]!.errors += delta.count;
      });
    }
    return [...groups.entries()].map(([key, group]) => {
      const histograms = merged.get(key)!;
      group.steps.forEach((step, i) => {
        const histogram = histograms[i];
        step.quantile = (q) => {
          const value = histogram && bucketQuantile(histogram, q);
          return value === undefined ? undefined : value * scale;
        };
      });
      return {
        service: group.service,
        route: group.route,
        source: 'metric',
        points: toPoints(group.steps, grid),
      };
    });
  }

  #fromSpans(filter: RedFilter, grid: StepGrid, measured: Set<string>): RedSeries[] {
    // Steps of whole ten minutes read the ten-minute buckets.
    const width = grid.stepMs % (10 * minuteMs) === 0 ? 10 : 1;
    const widthMs = width * minuteMs;
    const params: Record<string, SQLInputValue> = {
      width,
      first: Math.floor(grid.startMs / widthMs),
      last: Math.floor((filter.untilMs ?? Date.now()) / widthMs),
    };
    let where = 'width = $width AND bucket BETWEEN $first AND $last';
    if (filter.service !== undefined) {
      where = `service = $service AND ${where}`;
      params.service = filter.service;
    }
    if (filter.route !== undefined) {
      where += ' AND route = $route';
      params.route = filter.route;
    }
    const groups = new Map<
      string,
      { service: string; route: string; steps: Step[]; histograms: LatencyHistogram[] }
    >();
    const rows = this.#statements
      .get(
        `SELECT service, route, bucket, count, errors, histogram FROM red_buckets WHERE ${where}`,
      )
      .iterate(params);
    for (const row of rows) {
      if (measured.has(String(row.service))) continue;
      const step = stepOf(grid, Number(row.bucket) * widthMs);
      if (step < 0 || step >= grid.steps) continue;
      const key = `${row.service}\u0000${row.route}`;
      let group = groups.get(key);
      if (!group) {
        group = {
          service: String(row.service),
          route: String(row.route),
          steps: emptySteps(grid, true),
          histograms: Array.from({ length: grid.steps }, () => new LatencyHistogram()),
        };
        groups.set(key, group);
      }
      group.steps[step]!.count += Number(row.count);
      group.steps[step]!.errors += Number(row.errors);
      group.histograms[step]!.mergeStored(String(row.histogram));
    }
    return [...groups.values()].map((group) => {
      group.steps.forEach((step, i) => {
        step.quantile = (q) => group.histograms[i]!.quantile(q);
      });
      return {
        service: group.service,
        route: group.route,
        source: 'spans',
        points: toPoints(group.steps, grid),
      };
    });
  }

  // The first minute with requests, from server spans or the duration metric.
  #earliest(service: string | undefined): number | undefined {
    const bySpans = this.#statements
      .get(
        service === undefined
          ? 'SELECT min(bucket) AS m FROM red_buckets WHERE width = 1'
          : 'SELECT min(bucket) AS m FROM red_buckets WHERE service = ? AND width = 1',
      )
      .get(...(service === undefined ? [] : [service]))?.m;
    const byMetric = this.#statements
      .get(`SELECT min(time_ns) / 1e6 AS t FROM metric_points
      WHERE name = ?${service === undefined ? '' : ' AND service = ?'}`)
      .get(...(service === undefined ? [durationMetric] : [durationMetric, service]))?.t;
    const candidates = [
      bySpans === null || bySpans === undefined ? undefined : Number(bySpans) * minuteMs,
      byMetric === null || byMetric === undefined ? undefined : Number(byMetric),
    ].filter((t): t is number => t !== undefined);
    return candidates.length > 0 ? Math.min(...candidates) : undefined;
  }
}

function emptySteps(grid: StepGrid, known: boolean): Step[] {
  return Array.from({ length: grid.steps }, () => ({
    known,
    count: 0,
    errors: 0,
    quantile: () => undefined,
  }));
}

function toPoints(steps: Step[], grid: StepGrid): RedPoint[] {
  return steps.map((step, i) => ({
    t: grid.startMs + i * grid.stepMs,
    rate: step.known ? step.count / stepSeconds(grid, i) : null,
    errorRate: step.count > 0 ? step.errors / step.count : null,
    p50: step.count > 0 ? (step.quantile(0.5) ?? null) : null,
    p95: step.count > 0 ? (step.quantile(0.95) ?? null) : null,
    p99: step.count > 0 ? (step.quantile(0.99) ?? null) : null,
  }));
}

function attributeOf(list: PackedList, key: string): unknown {
  for (let i = 0; i + 1 < list.length; i += 2) if (list[i] === key) return list[i + 1];
  return undefined;
}
