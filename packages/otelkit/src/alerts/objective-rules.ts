import {
  BURN_RATE_ALERTS,
  burnFactor,
  DEFAULT_SLO_WINDOW,
  errorBudget,
} from './burn-rate-alerts.ts';
import { parseDuration } from './duration.ts';
import { bucketLabel } from './latency-bounds.ts';
import { PROMETHEUS_NAMES, promString, routeMatchers, sumRate } from './promql.ts';
import type { AlertingRule, RecordingRule, RuleContext, RuleGroup } from './rule-group.ts';
import type { SloObjective } from './slo-file.ts';

/** The windows the burn-rate alerts read, each recorded once per objective. */
export const RATIO_WINDOWS: readonly string[] = [
  ...new Set(BURN_RATE_ALERTS.flatMap((tier) => [tier.shortWindow, tier.longWindow])),
].sort((a, b) => parseDuration(a)! - parseDuration(b)!);

/** The recorded error ratio of an objective over a (production) window, e.g. `otelkit:slo_error_ratio:rate5m`. */
export function ratioRecord(window: string): string {
  return `otelkit:slo_error_ratio:rate${window}`;
}

/** The label that turns `http_request_method` and `http_route` back into `GET /users/:id`. */
export const ROUTE_TEMPLATE = `{{ $labels.${PROMETHEUS_NAMES.method} }} {{ $labels.${PROMETHEUS_NAMES.route} }}`;

/**
 * The rules of one objective: its error ratio per route recorded over each
 * window, and the three burn-rate alerts that read them.
 */
export function objectiveRules(objective: SloObjective, context: RuleContext): RuleGroup {
  const records = RATIO_WINDOWS.map((window) => ratioRule(objective, context, window));
  const alerts = BURN_RATE_ALERTS.map((tier): AlertingRule => {
    const window = objective.window ?? DEFAULT_SLO_WINDOW;
    const factor = burnFactor(tier, window);
    const budget = errorBudget(objective.objective);
    const threshold = `(${factor} * ${budget})`;
    const select = `{job=${promString(context.job)},slo=${promString(objective.name)}}`;
    const long = context.duration(tier.longWindow);
    const short = context.duration(tier.shortWindow);
    const what =
      objective.thresholdMs === undefined
        ? 'of requests failed (5xx)'
        : `of requests took longer than ${objective.thresholdMs} ms`;
    const lasts = describeHours(parseDuration(context.duration(window))! / factor / 3_600_000);
    return {
      alert: tier.alert,
      expr: [
        `${ratioRecord(tier.longWindow)}${select} > ${threshold}`,
        'and',
        `${ratioRecord(tier.shortWindow)}${select} > ${threshold}`,
      ].join('\n'),
      for: context.duration(tier.for),
      labels: { severity: tier.severity, slo: objective.name, route: ROUTE_TEMPLATE },
      annotations: {
        summary: `${ROUTE_TEMPLATE} of ${context.service} burns the ${objective.name} error budget at ${factor}× the sustainable rate`,
        description:
          `{{ $value | humanizePercentage }} ${what} over the last ${long}, and more than ` +
          `${percent(factor * budget)} over ${short}; ${objective.name} allows ${percent(budget)} ` +
          `(${percent(objective.objective)} over ${context.duration(window)}), so at this rate the ` +
          `whole error budget lasts ${lasts}.`,
        link: context.link(true),
      },
    };
  });
  return {
    name: `otelkit-slo:${context.service}:${objective.name}`,
    rules: [...records, ...alerts],
  };
}

function ratioRule(objective: SloObjective, context: RuleContext, window: string): RecordingRule {
  const { requests, requestBuckets, method, route, status } = PROMETHEUS_NAMES;
  const scaled = context.duration(window);
  const by = ['job', method, route];
  const matchers = routeMatchers(objective.routes).map(
    (m) => `job=${promString(context.job)},${m}`,
  );
  const all = sumRate(requests, matchers, scaled, by);
  let expr: string;
  if (objective.thresholdMs === undefined) {
    // `or 0 * all` records 0 for routes without a single 5xx, rather than nothing.
    const bad = sumRate(
      requests,
      matchers.map((m) => `${m},${status}=~"5.."`),
      scaled,
      by,
    );
    expr = `(\n  ${bad}\n  or\n  0 * ${all}\n)\n/\n${all}`;
  } else {
    const le = promString(bucketLabel(objective.thresholdMs));
    const fast = sumRate(
      requestBuckets,
      matchers.map((m) => `${m},le=${le}`),
      scaled,
      by,
    );
    expr = `1 - (\n  ${fast}\n  /\n  ${all}\n)`;
  }
  return { record: ratioRecord(window), expr, labels: { slo: objective.name } };
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))}%`;
}

function describeHours(hours: number): string {
  if (hours < 1) return `about ${Math.max(1, Math.round(hours * 60))} minutes`;
  if (hours < 48) return `about ${Math.round(hours)} hours`;
  return `about ${Math.round(hours / 24)} days`;
}
