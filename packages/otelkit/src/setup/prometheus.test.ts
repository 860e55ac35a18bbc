import { createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { metrics } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureWarnings } from '../test-support/exporters.ts';
import { setup } from './setup.ts';
import { isSetupError } from './setup-error.ts';
import type { SetupOptions, Telemetry } from './setup-options.ts';

const live: Telemetry[] = [];
function start(options: SetupOptions): Telemetry {
  const telemetry = setup({ exporter: 'none', ...options, metrics: { ...options.metrics } });
  live.push(telemetry);
  return telemetry;
}
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.allSettled(live.splice(0).map((t) => t.shutdown()));
});

/** A port free on 127.0.0.1 a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** GET /metrics, once it answers. */
async function scrape(port: number): Promise<string> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      return await response.text();
    } catch (error) {
      lastError = error;
      await sleep(20);
    }
  }
  throw lastError;
}

describe("setup({ metrics: { exporter: 'prometheus' } })", () => {
  it('serves the metrics on /metrics for Prometheus to pull, with Prometheus names', async () => {
    const port = await freePort();
    start({ service: { name: 'users-api' }, metrics: { exporter: 'prometheus', port } });
    metrics.getMeter('otelkit').createCounter('orders.placed').add(3, { 'order.channel': 'web' });
    const text = await scrape(port);
    expect(text).toContain('# TYPE orders_placed_total counter');
    expect(text).toMatch(
      /^orders_placed_total\{order_channel="web",otel_scope_name="otelkit"\} 3$/m,
    );
    expect(text).toMatch(/^target_info\{.*service_name="users-api"/m);
  });

  it('listens on 127.0.0.1:9464 unless told otherwise', () => {
    vi.stubEnv('OTEL_SDK_DISABLED', 'true');
    const telemetry = start({ metrics: { exporter: 'prometheus' } });
    expect(telemetry.config.metrics.exporters).toEqual(['prometheus']);
    expect(telemetry.config.metrics.prometheus).toEqual({ host: '127.0.0.1', port: 9464 });
  });

  it('is chosen by OTEL_METRICS_EXPORTER=prometheus, beside OTLP, on the host and port of the environment', async () => {
    const port = await freePort();
    vi.stubEnv('OTEL_METRICS_EXPORTER', 'otlp,prometheus');
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'none');
    vi.stubEnv('OTEL_LOGS_EXPORTER', 'none');
    // Nothing listens there: the OTLP push fails, briefly, at shutdown.
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', `http://127.0.0.1:${await freePort()}`);
    vi.stubEnv('OTEL_EXPORTER_OTLP_TIMEOUT', '200');
    vi.stubEnv('OTEL_EXPORTER_PROMETHEUS_HOST', '127.0.0.1');
    vi.stubEnv('OTEL_EXPORTER_PROMETHEUS_PORT', String(port));
    const telemetry = setup({ service: { name: 'users-api' }, shutdownTimeoutMs: 1000 });
    live.push(telemetry);
    expect(telemetry.config.metrics.exporters).toEqual(['otlp', 'prometheus']);
    metrics.getMeter('app').createCounter('jobs.done').add(1);
    expect(await scrape(port)).toMatch(/^jobs_done_total\{otel_scope_name="app"\} 1$/m);
  });

  it('lets the code port win over the environment', () => {
    vi.stubEnv('OTEL_SDK_DISABLED', 'true');
    vi.stubEnv('OTEL_METRICS_EXPORTER', 'prometheus');
    vi.stubEnv('OTEL_EXPORTER_PROMETHEUS_PORT', '9999');
    const telemetry = setup({ metrics: { port: 9100, host: 'localhost' } });
    live.push(telemetry);
    expect(telemetry.config.metrics.prometheus).toEqual({ host: 'localhost', port: 9100 });
  });

  it.each([
    ['OTEL_EXPORTER_PROMETHEUS_PORT', '70000', { host: '127.0.0.1', port: 9464 }],
    ['OTEL_EXPORTER_PROMETHEUS_PORT', 'metrics', { host: '127.0.0.1', port: 9464 }],
    ['OTEL_EXPORTER_PROMETHEUS_HOST', 'my host', { host: '127.0.0.1', port: 9464 }],
  ])('warns once naming %s=%s and uses the default', async (name, value, expected) => {
    const warnings = captureWarnings();
    try {
      vi.stubEnv('OTEL_SDK_DISABLED', 'true');
      vi.stubEnv('OTEL_METRICS_EXPORTER', 'prometheus');
      vi.stubEnv(name, value);
      const telemetry = setup({});
      live.push(telemetry);
      expect(telemetry.config.metrics.prometheus).toEqual(expected);
      await sleep(0);
      expect(warnings.messages).toHaveLength(1);
      expect(warnings.messages[0]).toContain(`${name}="${value}"`);
    } finally {
      warnings.stop();
    }
  });

  it.each<[SetupOptions['metrics'], string, string]>([
    [{ exporter: 'prometheus', port: 0 }, 'metrics.port', '0'],
    [{ exporter: 'prometheus', port: 8080.5 }, 'metrics.port', '8080.5'],
    [{ exporter: 'prometheus', host: 'not a host' }, 'metrics.host', '"not a host"'],
    [{ exporter: 'prom' as 'prometheus' }, 'metrics.exporter', '"prom"'],
  ])('refuses %j with a SetupError naming the option and the value', (options, option, shown) => {
    let thrown: unknown;
    try {
      setup({ exporter: 'none', metrics: options });
    } catch (error) {
      thrown = error;
    }
    expect(isSetupError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain(`${option} = ${shown}`);
  });

  it('reports a port already taken and keeps the app running', async () => {
    const taken: Server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const { port } = taken.address() as { port: number };
    const warnings = captureWarnings();
    try {
      start({ metrics: { exporter: 'prometheus', port } });
      metrics.getMeter('app').createCounter('still.counting').add(1);
      await vi.waitFor(() => expect(warnings.messages.join('\n')).toContain(`127.0.0.1:${port}`), {
        timeout: 5000,
      });
      expect(warnings.messages[0]).toMatch(/EADDRINUSE/);
    } finally {
      warnings.stop();
      taken.close();
    }
  });

  it('stops serving on shutdown', async () => {
    const port = await freePort();
    const telemetry = start({ metrics: { exporter: 'prometheus', port } });
    await scrape(port);
    await telemetry.shutdown();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
