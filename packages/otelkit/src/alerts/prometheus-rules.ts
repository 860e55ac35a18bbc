import { formatDuration, parseDuration } from './duration.ts';
import { errorAlertRules } from './error-alert-rules.ts';
import { objectiveRules } from './objective-rules.ts';
import { PROMETHEUS_NAMES } from './promql.ts';
import type { RuleContext, RuleGroup } from './rule-group.ts';
import { rulesYaml } from './rules-yaml.ts';
import type { SloFile } from './slo-file.ts';
import { validateSloFile } from './validate-slo-file.ts';

/** The otelkit-viewer's trace search for the service and the route, on the viewer's default address. */
export const DEFAULT_LINK_TEMPLATE = 'http://127.0.0.1:4318/#/?service={service}&operation={route}';

/** Options of `prometheusRules()`. */
export interface PrometheusRulesOptions {
  /**
   * The `job` label that selects the service's metrics in Prometheus.
   * @default the SLO file's `service`
   */
  job?: string;
  /**
   * Divides every window, `for` and offset by this factor, so that a test can
   * watch an alert fire in seconds. For tests only: production rules use 1.
   * @default 1
   * @example 60 // the fast page alert reads 1m and 5s instead of 1h and 5m
   */
  timeScale?: number;
  /**
   * The URL of each alert's `link` annotation. `{service}`, `{job}` and
   * `{route}` (`GET /users/:id`) are replaced, URL-encoded.
   * @default the otelkit-viewer's trace search for the route on http://127.0.0.1:4318
   * @example 'https://grafana.example.com/d/http?var-service={service}&var-route={route}'
   */
  linkTemplate?: string;
}

const PLACEHOLDER = /\{(\w*)\}/g;
const PLACEHOLDERS = ['service', 'job', 'route'];

/**
 * Prometheus recording and alerting rules (a rule file, YAML) for an SLO
 * file: for each objective, its error ratio per route over 5m, 30m, 1h, 6h
 * and 3d, and multi-window, multi-burn-rate alerts (page at 14.4× over 1h and
 * 5m, page at 6× over 6h and 30m, ticket at 1× over 3d and 6h, for a 30-day
 * objective); for each error alert, an alert on `otelkit.errors`. Alerts carry
 * `severity` (`page` or `ticket`), `slo` and `route` labels and a `link` to
 * the route's traces.
 *
 * @throws {SloFileError} when the SLO file is invalid; `RangeError` when an option is.
 * @example
 * writeFileSync('rules.yml', prometheusRules(slo, { linkTemplate }));
 */
export function prometheusRules(slo: SloFile, options: PrometheusRulesOptions = {}): string {
  validateSloFile(slo);
  const context = ruleContext(slo, options);
  const groups: RuleGroup[] = slo.objectives.map((objective) => objectiveRules(objective, context));
  if (slo.errorAlerts?.length) groups.push(errorAlertRules(slo.errorAlerts, context));
  const scale = options.timeScale ?? 1;
  const header = [
    `Prometheus rules for the SLOs of ${slo.service}, written by otelkit rules; do not edit.`,
    `Metrics: ${PROMETHEUS_NAMES.requests}, ${PROMETHEUS_NAMES.requestBuckets} and ${PROMETHEUS_NAMES.errors} of job="${context.job}".`,
    ...(scale === 1 ? [] : [`TEST ONLY: every window is divided by ${scale}.`]),
  ].join('\n');
  return rulesYaml(groups, header);
}

function ruleContext(slo: SloFile, options: PrometheusRulesOptions): RuleContext {
  const job = options.job ?? slo.service;
  if (typeof job !== 'string' || job === '' || /\p{Cc}/u.test(job)) {
    throw new RangeError(`invalid option job = ${JSON.stringify(job)}: expected a job name`);
  }
  const scale = options.timeScale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale < 1) {
    throw new RangeError(
      `invalid option timeScale = ${String(scale)}: expected a number, 1 or more`,
    );
  }
  const template = options.linkTemplate ?? DEFAULT_LINK_TEMPLATE;
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!PLACEHOLDERS.includes(name!)) {
      throw new RangeError(
        `invalid option linkTemplate = ${JSON.stringify(template)}: unknown placeholder {${name}}; expected {service}, {job} or {route}`,
      );
    }
  }
  return {
    job,
    service: slo.service,
    duration: (production) =>
      scale === 1 ? production : formatDuration(parseDuration(production)! / scale),
    link: (forRoute) =>
      template.replace(PLACEHOLDER, (_, name: string) => {
        if (name === 'service') return encodeURIComponent(slo.service);
        if (name === 'job') return encodeURIComponent(job);
        return forRoute
          ? `{{ printf "%s %s" $labels.${PROMETHEUS_NAMES.method} $labels.${PROMETHEUS_NAMES.route} | urlquery }}`
          : '';
      }),
  };
}
