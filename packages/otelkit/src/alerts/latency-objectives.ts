import { DEFAULT_SLO_WINDOW } from './burn-rate-alerts.ts';
import { thresholdProblem } from './latency-bounds.ts';
import type { LatencyObjective } from './slo-file.ts';
import { SloFileError } from './slo-file-error.ts';

/** Options of `latencyObjectives()`. */
export interface LatencyObjectivesOptions {
  /** The fraction of requests that must meet their target. @example 0.99 */
  objective: number;
  /** The period of the objectives. @default '30d' */
  window?: string;
}

/**
 * One latency objective per route of the HTTP adapters' `sla` option, with
 * the route's target as its threshold and named `{route} latency`, so the SLO
 * file is generated from the very object the app passes to its adapter.
 * Each target must be a bucket bound of `http.server.request.duration`
 * (`LATENCY_BOUNDS_MS`: …, 100, 250, 500, … ms), since Prometheus can only
 * count the requests below one.
 *
 * @throws {SloFileError} naming every target that is not a bucket bound.
 * @example
 * export const sla = { 'GET /users/:id': 250 };
 * await app.register(otelkitPlugin, { sla });
 * export const slo: SloFile = {
 *   service: 'users-api',
 *   objectives: latencyObjectives(sla, { objective: 0.99 }),
 * };
 */
export function latencyObjectives(
  sla: Readonly<Record<string, number>>,
  options: LatencyObjectivesOptions,
): LatencyObjective[] {
  const problems = Object.entries(sla).flatMap(
    ([route, thresholdMs]) => thresholdProblem(thresholdMs, `sla[${JSON.stringify(route)}]`) ?? [],
  );
  if (problems.length > 0) throw SloFileError.all(problems);
  return Object.entries(sla).map(([route, thresholdMs]) => ({
    name: `${route} latency`,
    routes: [route],
    thresholdMs,
    objective: options.objective,
    window: options.window ?? DEFAULT_SLO_WINDOW,
  }));
}
