import {
  type ErrorCount,
  evaluateSlo,
  type ObjectiveVerdict,
  prometheusRules,
  type RouteTraffic,
  type SloEvaluation,
} from 'otelkit/alerts';
import { slo } from '../service/slo.ts';
import {
  freePort,
  type PrometheusServer,
  prometheusInstalled,
  startPrometheus,
} from './prometheus.ts';
import { attribute, type MetricPoint, type ViewerClient } from './viewer-client.ts';

/** How much faster than production Prometheus runs the rules when it watches a run of seconds. */
export const RUN_TIME_SCALE = 60;

/** The SLO verdict of a main-job run. */
export interface SloRun {
  /** Environment for the users service: Prometheus metrics as well when Prometheus watches. */
  readonly serviceEnv: Record<string, string>;
  /** Prints which SLOs the run met and which alerts fired or would have; stops Prometheus. */
  report(viewer: ViewerClient, durationMs: number): Promise<void>;
}

/**
 * Prepares the verdict: with `prometheus` (and Prometheus installed), a real
 * Prometheus that scrapes the service during the run with the demo's rules
 * at 60× speed; otherwise the same rules' thresholds applied to what the
 * viewer received.
 */
export async function startSloRun(options: { prometheus: boolean }): Promise<SloRun> {
  if (options.prometheus && !prometheusInstalled()) {
    console.log('Prometheus is not installed: the SLOs are judged from the viewer instead');
  }
  if (!options.prometheus || !prometheusInstalled()) {
    return {
      serviceEnv: {},
      async report(viewer, durationMs) {
        const [durations, errors] = await Promise.all([
          viewer.metricPoints('http.server.request.duration'),
          viewer.metricPoints('otelkit.errors'),
        ]);
        const evaluation = evaluateSlo(slo, {
          routes: routeTraffic(durations),
          errors: errorCounts(errors),
          minutes: durationMs / 60_000,
        });
        process.stdout.write(
          formatSloReport(
            evaluation,
            'the thresholds of apps/demo/prometheus-rules.yml applied to this run',
          ),
        );
      },
    };
  }
  const metricsPort = await freePort();
  const startedAt = Date.now();
  const prometheus = await startPrometheus({
    rules: prometheusRules(slo, { timeScale: RUN_TIME_SCALE }),
    targets: [{ job: slo.service, address: `127.0.0.1:${metricsPort}` }],
  });
  console.log(
    `Prometheus watching the run on ${prometheus.url} (rules at ${RUN_TIME_SCALE}× speed)`,
  );
  return {
    serviceEnv: {
      OTEL_METRICS_EXPORTER: 'otlp,prometheus',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    },
    async report() {
      try {
        const seconds = Math.ceil((Date.now() - startedAt) / 1000) + 5;
        process.stdout.write(
          formatSloReport(
            await prometheusVerdict(prometheus, seconds),
            `Prometheus ${prometheus.url}, the rules of apps/demo/prometheus-rules.yml at ${RUN_TIME_SCALE}× speed`,
          ),
        );
      } finally {
        await prometheus.stop();
      }
    },
  };
}

/** Requests per route from the viewer's latest `http.server.request.duration` points. */
export function routeTraffic(points: readonly MetricPoint[]): RouteTraffic[] {
  const routes = new Map<
    string,
    { requests: number; serverErrors: number; atMostMs: Record<number, number> }
  >();
  for (const point of points) {
    const method = attribute(point.attributes, 'http.request.method');
    const path = attribute(point.attributes, 'http.route');
    if (typeof method !== 'string' || typeof path !== 'string') continue;
    const route = `${method} ${path}`;
    const traffic = routes.get(route) ?? { requests: 0, serverErrors: 0, atMostMs: {} };
    routes.set(route, traffic);
    const count = Number(point.count ?? 0);
    traffic.requests += count;
    if (Number(attribute(point.attributes, 'http.response.status_code')) >= 500) {
      traffic.serverErrors += count;
    }
    const bounds = (point.explicitBounds as number[] | undefined) ?? [];
    const counts = (point.bucketCounts as (number | string)[] | undefined) ?? [];
    let below = 0;
    bounds.forEach((bound, i) => {
      below += Number(counts[i] ?? 0);
      const ms = Math.round(bound * 1000);
      traffic.atMostMs[ms] = (traffic.atMostMs[ms] ?? 0) + below;
    });
  }
  return [...routes].map(([route, traffic]) => ({ route, ...traffic }));
}

/** Errors per type from the viewer's latest `otelkit.errors` points. */
export function errorCounts(points: readonly MetricPoint[]): ErrorCount[] {
  return points.map((point) => ({
    type: String(attribute(point.attributes, 'error.type')),
    category: String(attribute(point.attributes, 'error.category')),
    severity: String(attribute(point.attributes, 'error.severity')),
    count: Number(point.asInt ?? point.asDouble ?? 0),
  }));
}

/** The report as the main job prints it. */
export function formatSloReport(evaluation: SloEvaluation, source: string): string {
  const lines = [`\nSLOs (${source})`];
  const sloWidth = Math.max(0, ...evaluation.objectives.map((v) => v.slo.length));
  const routeWidth = Math.max(0, ...evaluation.objectives.map((v) => v.route.length));
  for (const v of evaluation.objectives) {
    const verdict = v.met ? 'met   ' : 'missed';
    const alerts = v.firing.map((f) => `${f.alert} (${f.severity})`).join(', ');
    const bad = `${percent(v.badRatio)} of ${v.requests} bad`.padEnd(18);
    lines.push(
      `  ${verdict}  ${v.slo.padEnd(sloWidth)}  ${v.route.padEnd(routeWidth)}  ${bad} budget ${percent(v.budget).padEnd(6)}${alerts ? `  alerts: ${alerts}` : ''}`.trimEnd(),
    );
  }
  const fired = evaluation.errorAlerts.filter((e) => e.firing);
  lines.push(
    fired.length === 0
      ? 'Error alerts: none would have fired'
      : `Error alerts: ${fired.map((e) => `${e.alert} (${e.type}${e.count > 0 ? `, ${e.count}` : ''})`).join(', ')}`,
  );
  const pages = evaluation.objectives.flatMap((v) =>
    v.firing.filter((f) => f.severity === 'page').map(() => v.route),
  );
  lines.push(
    pages.length === 0
      ? 'Nobody would have been paged.'
      : `Paged for: ${[...new Set(pages)].join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The verdict from Prometheus: ratios its rules recorded, alerts it fired during the run. */
async function prometheusVerdict(
  prometheus: PrometheusServer,
  seconds: number,
): Promise<SloEvaluation> {
  const range = `[${seconds}s]`;
  const [ratios, requests, alerts] = await Promise.all([
    prometheus.query(`last_over_time(otelkit:slo_error_ratio:rate3d${range})`),
    prometheus.query(
      `sum by (http_request_method, http_route) (last_over_time(http_server_request_duration_count${range}))`,
    ),
    prometheus.query(`max_over_time(ALERTS{alertstate="firing"}${range})`),
  ]);
  const routeOf = (m: Record<string, string>) => `${m.http_request_method} ${m.http_route}`;
  const served = new Map(requests.map((s) => [routeOf(s.metric), Number(s.value[1])]));
  const objectives: ObjectiveVerdict[] = ratios.map(({ metric, value }) => {
    const objective = slo.objectives.find((o) => o.name === metric.slo);
    const budget = Number((1 - (objective?.objective ?? 1)).toPrecision(12));
    const badRatio = Number(value[1]);
    const route = routeOf(metric);
    return {
      slo: metric.slo ?? '',
      route,
      requests: served.get(route) ?? 0,
      badRatio,
      budget,
      met: badRatio <= budget,
      firing: alerts
        .filter((a) => a.metric.slo === metric.slo && a.metric.route === route)
        .map((a) => ({
          alert: a.metric.alertname as 'SloFastBurn',
          severity: a.metric.severity as 'page',
        })),
    };
  });
  const errorAlerts = alerts
    .filter((a) => a.metric.slo === undefined)
    .map((a) => ({
      alert: a.metric.alertname ?? '',
      type: a.metric.error_type ?? '',
      count: 0,
      perMinute: 0,
      firing: true,
    }));
  return {
    objectives: objectives.sort(
      (a, b) => a.slo.localeCompare(b.slo) || a.route.localeCompare(b.route),
    ),
    errorAlerts,
  };
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.01 ? 2 : 1)}%`;
}
