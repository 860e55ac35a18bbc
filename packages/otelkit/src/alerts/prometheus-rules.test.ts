import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prometheusRules } from './prometheus-rules.ts';
import type { SloFile } from './slo-file.ts';
import { SloFileError } from './slo-file-error.ts';

const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
const hasPromtool = existsSync(PROMTOOL);
if (!hasPromtool)
  console.warn(
    `${PROMTOOL} not found: install Debian's prometheus package to run the promtool checks`,
  );

const dir = mkdtempSync(join(tmpdir(), 'otelkit-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs promtool with files written to a temporary directory; its exit code and output. */
function promtool(args: string[], files: Record<string, string>): { code: number; output: string } {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const run = spawnSync(PROMTOOL, args, { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return { code: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

const slo: SloFile = {
  service: 'users-api',
  objectives: [
    { name: 'availability', routes: '*', objective: 0.999, window: '30d' },
    {
      name: 'writes',
      routes: ['POST /users', 'DELETE /users/:id', 'GET /files/*', 'GET /users/:id'],
      objective: 0.995,
      window: '28d',
    },
    { name: 'latency', routes: ['GET /users/:id'], thresholdMs: 250, objective: 0.99 },
  ],
  errorAlerts: [{ name: 'CriticalErrors', severity: 'critical', maxPerMinute: 0 }],
};

describe('prometheusRules()', () => {
  it.skipIf(!hasPromtool)('writes rules that promtool check rules accepts', () => {
    const { code, output } = promtool(['check', 'rules', 'rules.yml'], {
      'rules.yml': prometheusRules(slo),
    });
    expect(output).toContain('SUCCESS: 25 rules found');
    expect(code).toBe(0);
  });

  it.skipIf(!hasPromtool)('writes alerts whose names Prometheus takes, whatever their text', () => {
    const names = ['critical-errors', 'Critical errors: payments', 'erreurs {{ critiques }}'];
    const rules = prometheusRules({
      service: 'users-api',
      objectives: [],
      errorAlerts: names.map((name) => ({ name, maxPerMinute: 0 })),
    });
    const { code, output } = promtool(['check', 'rules', 'names.yml'], { 'names.yml': rules });
    expect(output).toContain('SUCCESS: 3 rules found');
    expect(code).toBe(0);
  });

  it.skipIf(!hasPromtool)(
    'judges exactly the listed routes, each method with its own paths',
    () => {
      // `writes` lists POST /users and GET /files/* (a literal star), not POST /users/:id
      // nor GET /files/report. All three fail half the time.
      const series = (method: string, route: string, status: number, per: number) =>
        `      - series: 'http_server_request_duration_count{job="users-api",http_request_method="${method}",http_route="${route}",http_response_status_code="${status}"}'\n        values: '0+${per}x60'`;
      const test = `rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
${[
  ['POST', '/users'],
  ['POST', '/users/:id'],
  ['GET', '/files/*'],
  ['GET', '/files/report'],
]
  .flatMap(([method, route]) => [series(method!, route!, 500, 5), series(method!, route!, 200, 5)])
  .join('\n')}
    promql_expr_test:
      - expr: sort(otelkit:slo_error_ratio:rate5m{slo="writes"})
        eval_time: 10m
        exp_samples:
          - labels: 'otelkit:slo_error_ratio:rate5m{job="users-api",http_request_method="GET",http_route="/files/*",slo="writes"}'
            value: 0.5
          - labels: 'otelkit:slo_error_ratio:rate5m{job="users-api",http_request_method="POST",http_route="/users",slo="writes"}'
            value: 0.5
`;
      const { code, output } = promtool(['test', 'rules', 'routes.test.yml'], {
        'rules.yml': prometheusRules(slo),
        'routes.test.yml': test,
      });
      expect(output).toContain('SUCCESS');
      expect(code).toBe(0);
    },
  );

  it('selects the service by its job label, or by the job given', () => {
    expect(prometheusRules(slo)).toContain('http_server_request_duration_count{job="users-api",');
    const rules = prometheusRules(slo, { job: 'users-api-prod' });
    expect(rules).toContain('http_server_request_duration_count{job="users-api-prod",');
    expect(rules).toContain('otelkit_errors_total{job="users-api-prod",');
    expect(rules).not.toContain('job="users-api"');
  });

  it('divides every window, for and offset by the time scale, and nothing else', () => {
    const production = prometheusRules(slo);
    const scaled = prometheusRules(slo, { timeScale: 60 });
    const windows = (rules: string) =>
      [...rules.matchAll(/\[(\w+)\]|for: (\w+)|offset (\w+)/g)].map((m) =>
        m.slice(1).find(Boolean),
      );
    expect(windows(production)).toContain('3d');
    expect(windows(scaled)).toEqual(
      windows(production).map(
        (w) =>
          ({
            '5m': '5s',
            '30m': '30s',
            '1h': '1m',
            '6h': '6m',
            '3d': '1h12m',
            '2m': '2s',
            '15m': '15s',
            '1m': '1s',
          })[w!],
      ),
    );
    const strip = (rules: string) =>
      rules.replace(/\[\w+\]|for: \w+|offset \w+|description: .*|summary: .*|\n# TEST ONLY.*/g, '');
    expect(strip(scaled)).toBe(strip(production));
  });

  it('links each alert to the route through the link template, URL-encoded', () => {
    const rules = prometheusRules(slo, {
      linkTemplate: 'https://grafana.example.com/d/http?var-service={service}&var-route={route}',
    });
    expect(rules).toContain(
      `link: 'https://grafana.example.com/d/http?var-service=users-api&var-route={{ printf "%s %s" $labels.http_request_method $labels.http_route | urlquery }}'`,
    );
  });

  it('writes YAML that a formatter leaves as it is, so formatted rule files stay generated', () => {
    const biome = join(import.meta.dirname, '../../../../node_modules/.bin/biome');
    for (const linkTemplate of ['https://x/?a=\'{route}\'&b="{job}"', 'https://x/?a={service}']) {
      const rules = prometheusRules(slo, { linkTemplate });
      const formatted = spawnSync(biome, ['format', '--stdin-file-path=rules.yml'], {
        input: rules,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(formatted.stdout).toBe(rules);
    }
  });

  it('refuses an unknown placeholder in the link template and a time scale below 1, naming them', () => {
    expect(() => prometheusRules(slo, { linkTemplate: 'https://x/{routes}' })).toThrow(
      /linkTemplate.*\{routes\}/,
    );
    expect(() => prometheusRules(slo, { timeScale: 0 })).toThrow(/timeScale = 0/);
  });

  it('refuses an invalid SLO file with the field named', () => {
    const bad = { ...slo, objectives: [{ ...slo.objectives[2]!, thresholdMs: 200 }] };
    expect(() => prometheusRules(bad)).toThrow(SloFileError);
    expect(() => prometheusRules(bad)).toThrow(/objectives\[0\]\.thresholdMs = 200/);
  });
});
