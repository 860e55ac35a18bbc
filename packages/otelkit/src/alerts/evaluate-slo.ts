import {
  BURN_RATE_ALERTS,
  type BurnRateAlert,
  burnFactor,
  errorBudget,
} from './burn-rate-alerts.ts';
import type { SloFile, SloObjective } from './slo-file.ts';
import { validateSloFile } from './validate-slo-file.ts';

/** What one route served over a period, for `evaluateSlo()`. */
export interface RouteTraffic {
  /** `{method} {route}`, e.g. `GET /users/:id`. */
  route: string;
  /** Requests served. */
  requests: number;
  /** Requests answered with a 5xx status. */
  serverErrors: number;
  /**
   * Requests that took at most each bucket bound, by the bound in
   * milliseconds (the histogram's cumulative buckets). Needed for latency
   * objectives.
   * @example { 100: 930, 250: 990 }
   */
  atMostMs?: Readonly<Record<number, number>>;
}

/** Errors of one `error.type` recorded over the period (`otelkit.errors`). */
export interface ErrorCount {
  type: string;
  category: string;
  severity: string;
  count: number;
}

/** Traffic and errors over a period, for `evaluateSlo()`. */
export interface SloObservation {
  routes: readonly RouteTraffic[];
  errors?: readonly ErrorCount[];
  /** How long the period lasted, in minutes. */
  minutes: number;
}

/** An objective's verdict on one route. */
export interface ObjectiveVerdict {
  /** The objective's name. */
  slo: string;
  route: string;
  requests: number;
  /** The fraction of bad requests (5xx, or slower than the threshold). */
  badRatio: number;
  /** The fraction the objective allows: its error budget. */
  budget: number;
  /** Whether the bad fraction stayed within the budget. */
  met: boolean;
  /** The burn-rate alerts whose threshold the bad fraction passed. */
  firing: readonly Pick<BurnRateAlert, 'alert' | 'severity'>[];
}

/** An error alert's verdict on one `error.type`. */
export interface ErrorAlertVerdict {
  alert: string;
  type: string;
  count: number;
  perMinute: number;
  firing: boolean;
}

/** Which objectives a period met and which alerts it would have fired. */
export interface SloEvaluation {
  objectives: ObjectiveVerdict[];
  errorAlerts: ErrorAlertVerdict[];
}

/**
 * Judges a period's traffic against an SLO file with the thresholds of the
 * rules `prometheusRules()` writes: an alert counts as firing when the bad
 * fraction of the period passes its burn-rate threshold, as it would if the
 * period's traffic went on for both of the alert's windows. Routes without
 * traffic get no verdict.
 *
 * @example
 * const { objectives } = evaluateSlo(slo, { routes, minutes: 0.5 });
 * for (const v of objectives) console.log(v.slo, v.route, v.met ? 'met' : 'missed');
 */
export function evaluateSlo(slo: SloFile, observation: SloObservation): SloEvaluation {
  validateSloFile(slo);
  const objectives = slo.objectives.flatMap((objective) =>
    observation.routes
      .filter((traffic) => traffic.requests > 0 && covers(objective, traffic.route))
      .map((traffic) => judge(objective, traffic)),
  );
  const minutes = Math.max(observation.minutes, 1);
  const errorAlerts = (slo.errorAlerts ?? []).flatMap((alert) =>
    (observation.errors ?? [])
      .filter(
        (e) =>
          (alert.category === undefined || e.category === alert.category) &&
          (alert.severity === undefined || e.severity === alert.severity),
      )
      .map((e) => {
        // A period shorter than a minute fits in one: its count is a minute's count.
        const perMinute = e.count / minutes;
        return {
          alert: alert.name,
          type: e.type,
          count: e.count,
          perMinute,
          firing: perMinute > alert.maxPerMinute,
        };
      }),
  );
  return { objectives, errorAlerts };
}

function covers(objective: SloObjective, route: string): boolean {
  return objective.routes === '*' || objective.routes.includes(route);
}

function judge(objective: SloObjective, traffic: RouteTraffic): ObjectiveVerdict {
  const bad =
    objective.thresholdMs === undefined
      ? traffic.serverErrors
      : traffic.requests - (traffic.atMostMs?.[objective.thresholdMs] ?? 0);
  const badRatio = bad / traffic.requests;
  const budget = errorBudget(objective.objective);
  const firing = BURN_RATE_ALERTS.filter(
    (tier) => badRatio > burnFactor(tier, objective.window) * budget,
  ).map(({ alert, severity }) => ({ alert, severity }));
  return {
    slo: objective.name,
    route: traffic.route,
    requests: traffic.requests,
    badRatio,
    budget,
    met: badRatio <= budget,
    firing,
  };
}
