import { DEFAULT_SLO_WINDOW } from './burn-rate-alerts.ts';
import type { LatencyObjective } from './slo-file.ts';

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
 *
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
  return Object.entries(sla).map(([route, thresholdMs]) => ({
    name: `${route} latency`,
    routes: [route],
    thresholdMs,
    objective: options.objective,
    window: options.window ?? DEFAULT_SLO_WINDOW,
  }));
}
