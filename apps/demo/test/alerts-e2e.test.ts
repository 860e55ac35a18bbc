// End to end, with the real thing: the users service serving its metrics with
// `OTEL_METRICS_EXPORTER=prometheus`, a real Prometheus scraping it every
// second and evaluating the rules generated from the demo's SLO object, load
// that hits the buggy report route, and the alerts Prometheus fires.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { prometheusRules } from 'otelkit/alerts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  PROMETHEUS_BINARY,
  type PrometheusAlert,
  type PrometheusServer,
  prometheusInstalled,
  startPrometheus,
} from '../src/job/prometheus.ts';
import { type ServiceProcess, startService } from '../src/job/service-process.ts';
import { slo } from '../src/service/slo.ts';

/** Every window and `for` of the production rules divided by this: the only difference. */
const TIME_SCALE = 60;
const REPORT = 'GET /users/:id/report';

const installed = prometheusInstalled();
if (!installed) {
  console.warn(
    `${PROMETHEUS_BINARY} not found: install Debian's prometheus package to run this test`,
  );
}

let dir: string;
let service: ServiceProcess | undefined;
let prometheus: PrometheusServer | undefined;
let stopLoad = false;
let load: Promise<void> | undefined;
let startedAt = 0;

beforeAll(async () => {
  if (!installed) return;
  startedAt = performance.now();
  dir = mkdtempSync(join(tmpdir(), 'otelkit-alerts-e2e-'));
  const metricsPort = await freePort();
  service = await startService('http://127.0.0.1:9', {
    OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    DEMO_LOG_FILE: join(dir, 'users-api.log'),
    DEMO_MAIL_FAILURE_RATE: '0',
  });
  prometheus = await startPrometheus({
    rules: prometheusRules(slo, { timeScale: TIME_SCALE }),
    targets: [{ job: slo.service, address: `127.0.0.1:${metricsPort}` }],
  });
  load = drive(service.url);
}, 30_000);

afterAll(async () => {
  stopLoad = true;
  await load;
  await prometheus?.stop();
  await service?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Four loops of requests: reports of users 1..300 in turn (every seventh fails), reads, lists. */
async function drive(baseUrl: string): Promise<void> {
  let next = 0;
  const paths = () => {
    const id = (next++ % 300) + 1;
    return [`/users/${id}/report`, `/users/${id}`, '/users?limit=5'];
  };
  const worker = async () => {
    while (!stopLoad) {
      for (const path of paths()) {
        await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(5000) })
          .then((r) => r.arrayBuffer())
          .catch(() => {});
      }
      await sleep(5);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

const isReportPage = (a: PrometheusAlert) =>
  a.labels.alertname === 'SloFastBurn' &&
  a.labels.slo === 'availability' &&
  a.labels.route === REPORT &&
  a.state === 'firing';

describe.skipIf(!installed)('alerts end to end with a real Prometheus', () => {
  const seen: PrometheusAlert[] = [];
  let page: PrometheusAlert | undefined;

  it('fires the availability page alert for GET /users/:id/report', async () => {
    const deadline = Date.now() + 40_000;
    while (page === undefined && Date.now() < deadline) {
      await sleep(500);
      const alerts = await prometheus!.alerts();
      seen.push(...alerts);
      page = alerts.find(isReportPage);
    }
    console.log(
      `alerts e2e: the page alert fired ${((performance.now() - startedAt) / 1000).toFixed(1)} s after the service started`,
    );
    expect(page, `alerts seen: ${JSON.stringify(seen.slice(-5))}`).toBeDefined();
    expect(page!.labels).toMatchObject({
      severity: 'page',
      job: 'users-api',
      http_request_method: 'GET',
      http_route: '/users/:id/report',
    });
    expect(page!.annotations.summary).toContain(`${REPORT} of users-api burns the availability`);
    expect(page!.annotations.link).toContain('operation=GET+%2Fusers%2F%3Aid%2Freport');
  }, 45_000);

  it('fires nothing for the healthy routes, whose error ratio is recorded as 0', async () => {
    const other = seen.filter((a) => a.labels.route !== undefined && a.labels.route !== REPORT);
    expect(other).toEqual([]);
    const healthy = await prometheus!.query(
      'otelkit:slo_error_ratio:rate5m{slo="availability",http_route=~"/users|/users/:id"}',
    );
    expect(healthy.map((s) => [s.metric.http_route, Number(s.value[1])]).sort()).toEqual([
      ['/users', 0],
      ['/users/:id', 0],
    ]);
  });

  it("stores otelkit's metrics under the names the rules read", async () => {
    const names = await prometheus!.query(
      'count by (__name__) ({job="users-api",__name__=~"http_server_request_duration_.*|otelkit_errors.*"})',
    );
    expect(names.map((s) => s.metric.__name__).sort()).toEqual([
      'http_server_request_duration_bucket',
      'http_server_request_duration_count',
      'http_server_request_duration_sum',
      'otelkit_errors_total',
    ]);
    const errors = await prometheus!.query('otelkit_errors_total{job="users-api"}');
    expect(errors.map((s) => s.metric)).toContainEqual(
      expect.objectContaining({
        error_type: 'Error',
        error_category: 'unknown',
        error_severity: 'medium',
        error_retryable: 'false',
      }),
    );
  });
});
