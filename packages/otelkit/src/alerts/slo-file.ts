import type { ErrorCategory, ErrorSeverity } from '../errors/categorized-error.ts';

/** What every objective has: a name, the routes it covers, the promise and its period. */
interface ObjectiveBase {
  /** Names the objective: the `slo` label of its rules and alerts. @example 'users-availability' */
  name: string;
  /**
   * The routes it covers as `{method} {route}` (the server span's name), or
   * `'*'` for every route of the service. Each route is judged on its own, so
   * an alert names the route that burns the budget.
   * @example ['GET /users/:id', 'POST /users']
   */
  routes: readonly string[] | '*';
  /** The fraction of good requests promised, above 0 and below 1. @example 0.999 */
  objective: number;
  /**
   * The period the objective is promised over, a Prometheus duration. The
   * burn-rate factors of the alerts scale with it.
   * @default '30d'
   */
  window?: string;
}

/** Availability of routes: a request is bad when its status is 5xx. */
export interface AvailabilityObjective extends ObjectiveBase {
  thresholdMs?: undefined;
}

/**
 * Latency of routes: a request is good when it takes at most `thresholdMs`,
 * whatever its status.
 */
export interface LatencyObjective extends ObjectiveBase {
  /**
   * The latency threshold in milliseconds: one of the bucket bounds of
   * `http.server.request.duration` (`HTTP_DURATION_BUCKETS` in seconds), since
   * Prometheus can only count requests below a bound.
   * @example 250
   */
  thresholdMs: number;
}

/** One objective of an SLO file: availability, or latency when it has `thresholdMs`. */
export type SloObjective = AvailabilityObjective | LatencyObjective;

/** An alert on `otelkit.errors`: errors recorded by `recordError`, per minute. */
export interface ErrorAlert {
  /** The alert's name in Prometheus (its `alertname` label): any non-blank text. @example 'critical-errors' */
  name: string;
  /** Only errors of this `error.category`. @default every category */
  category?: ErrorCategory;
  /** Only errors of this `error.severity`. @default every severity */
  severity?: ErrorSeverity;
  /** Fires when one `error.type` is recorded more often than this in a minute. @example 0 */
  maxPerMinute: number;
  /** Page (`severity: page`) rather than open a ticket (`severity: ticket`). @default true */
  page?: boolean;
}

/**
 * An SLO file: the service's objectives and error alerts, declared once, from
 * which `prometheusRules()` and `otelkit rules` write Prometheus rules.
 *
 * @example
 * const slo: SloFile = {
 *   service: 'users-api',
 *   objectives: [
 *     { name: 'availability', routes: '*', objective: 0.999, window: '30d' },
 *     { name: 'user-latency', routes: ['GET /users/:id'], thresholdMs: 250, objective: 0.99 },
 *   ],
 *   errorAlerts: [{ name: 'CriticalErrors', severity: 'critical', maxPerMinute: 0 }],
 * };
 */
export interface SloFile {
  /** The service: the `job` label that selects its metrics in Prometheus, unless overridden. */
  service: string;
  /** Availability and latency objectives. */
  objectives: readonly SloObjective[];
  /** Alerts on recorded errors. @default [] */
  errorAlerts?: readonly ErrorAlert[];
}
