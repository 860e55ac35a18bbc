/**
 * The names Prometheus stores for otelkit's metrics when it scrapes
 * `@opentelemetry/exporter-prometheus` (what `setup({ metrics: { exporter:
 * 'prometheus' } })` serves): dots become underscores, counters get `_total`,
 * and no unit suffix is added, so `http.server.request.duration` (seconds) is
 * `http_server_request_duration_*`, not `..._seconds_*`. The end-to-end test
 * proves them against a real Prometheus.
 */
export const PROMETHEUS_NAMES = {
  /** Requests served: the histogram's count. */
  requests: 'http_server_request_duration_count',
  /** Requests served at most as slow as the `le` bound (seconds), per bucket. */
  requestBuckets: 'http_server_request_duration_bucket',
  /** `otelkit.errors`: errors recorded by `recordError`. */
  errors: 'otelkit_errors_total',
  /** `http.request.method` */
  method: 'http_request_method',
  /** `http.route` */
  route: 'http_route',
  /** `http.response.status_code` */
  status: 'http_response_status_code',
  /** `error.category` */
  errorCategory: 'error_category',
  /** `error.severity` */
  errorSeverity: 'error_severity',
  /** `error.type` */
  errorType: 'error_type',
} as const;

/** A PromQL string literal: JSON's escapes are PromQL's. */
export function promString(value: string): string {
  return JSON.stringify(value);
}

/** `value` as an RE2 pattern that matches only itself. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * Label matchers that select the routes (`GET /users/:id`): one matcher list
 * per method, each with the method's routes as one anchored regex, or one list
 * with every route when `routes` is `'*'`.
 */
export function routeMatchers(routes: readonly string[] | '*'): string[] {
  const { method, route } = PROMETHEUS_NAMES;
  if (routes === '*') return [`${route}!=""`];
  const byMethod = new Map<string, string[]>();
  for (const entry of routes) {
    const space = entry.indexOf(' ');
    const verb = entry.slice(0, space);
    byMethod.set(verb, [...(byMethod.get(verb) ?? []), entry.slice(space + 1)]);
  }
  return [...byMethod].map(([verb, paths]) => {
    const path =
      paths.length === 1
        ? `${route}=${promString(paths[0]!)}`
        : `${route}=~${promString(paths.map(escapeRegex).join('|'))}`;
    return `${method}=${promString(verb)},${path}`;
  });
}

/** `sum by (labels) (rate(metric{…}[window]) or …)` over every matcher list. */
export function sumRate(
  metric: string,
  matcherLists: readonly string[],
  window: string,
  by: readonly string[],
): string {
  const rates = matcherLists.map((matchers) => `rate(${metric}{${matchers}}[${window}])`);
  return `sum by (${by.join(', ')}) (${rates.join(' or ')})`;
}
