import { PROMETHEUS_NAMES, promString } from './promql.ts';
import type { AlertingRule, RuleContext, RuleGroup } from './rule-group.ts';
import type { ErrorAlert } from './slo-file.ts';

/**
 * The alerts on `otelkit.errors`, one per error alert of the SLO file: errors
 * of one `error.type` in the last minute, over `maxPerMinute`.
 */
export function errorAlertRules(alerts: readonly ErrorAlert[], context: RuleContext): RuleGroup {
  return {
    name: `otelkit-errors:${context.service}`,
    rules: alerts.map((alert) => errorAlertRule(alert, context)),
  };
}

function errorAlertRule(alert: ErrorAlert, context: RuleContext): AlertingRule {
  const { errors, errorCategory, errorSeverity, errorType } = PROMETHEUS_NAMES;
  const matchers = [`job=${promString(context.job)}`];
  if (alert.category !== undefined) matchers.push(`${errorCategory}=${promString(alert.category)}`);
  if (alert.severity !== undefined) matchers.push(`${errorSeverity}=${promString(alert.severity)}`);
  const series = `${errors}{${matchers.join(',')}}`;
  const minute = context.duration('1m');
  // A series born within the minute has no sample a minute ago, and rate() or
  // increase() need two samples: its first errors would go unseen. Its whole
  // value is then the errors of the minute.
  const expr = [
    `sum by (job, ${errorCategory}, ${errorSeverity}, ${errorType}) (`,
    `  (${series} - ${series} offset ${minute})`,
    '  or',
    `  ${series}`,
    `) > ${alert.maxPerMinute}`,
  ].join('\n');
  const which = [alert.severity, alert.category].filter((x) => x !== undefined).join(' ');
  return {
    alert: alert.name,
    expr,
    labels: { severity: alert.page === false ? 'ticket' : 'page' },
    annotations: {
      summary: `${context.service}: ${which ? `${which} ` : ''}errors of type {{ $labels.${errorType} }}, {{ $value }} in the last ${minute}`,
      description:
        `${context.service} recorded {{ $value }} errors of type {{ $labels.${errorType} }} ` +
        `({{ $labels.${errorCategory} }}, {{ $labels.${errorSeverity} }}) in the last ${minute}; ` +
        `${templateText(alert.name)} allows ${alert.maxPerMinute}.`,
      link: context.link(false),
    },
  };
}

/** `text` as literal text of a Prometheus (Go) template: an alert's name may hold `{{`. */
function templateText(text: string): string {
  return text.replaceAll('{{', '{{ "{{" }}');
}
