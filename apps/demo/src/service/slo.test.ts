import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTestTelemetry, type TestTelemetry } from 'otelkit/testing';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { createMailClient } from './mail-client.ts';
import { createMetrics } from './metrics.ts';
import { sla, slo } from './slo.ts';
import { UsersRepository } from './users-repository.ts';
import { sloFiles } from './write-slo.ts';

const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
const demo = (name: string) => fileURLToPath(new URL(`../../${name}`, import.meta.url));

let telemetry: TestTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

describe("the demo's SLOs", () => {
  it('slo.json is the SLO object of slo.ts', () => {
    expect(JSON.parse(readFileSync(demo('slo.json'), 'utf8'))).toEqual(slo);
  });

  it('prometheus-rules.yml holds the rules generated from it (run write-slo.ts after a change)', () => {
    expect(readFileSync(demo('prometheus-rules.yml'), 'utf8')).toBe(
      sloFiles()['prometheus-rules.yml'],
    );
  });

  it.skipIf(!existsSync(PROMTOOL))('promtool check rules accepts prometheus-rules.yml', () => {
    const run = spawnSync(PROMTOOL, ['check', 'rules', demo('prometheus-rules.yml')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stdout).toContain('SUCCESS: 26 rules found');
    expect(run.status).toBe(0);
  });

  it("has a latency objective for each target of the service's sla option, at that target", () => {
    const latency = slo.objectives.filter((o) => o.thresholdMs !== undefined);
    expect(latency.map((o) => [o.routes, o.thresholdMs])).toEqual(
      Object.entries(sla).map(([route, ms]) => [[route], ms]),
    );
  });

  it('the service measures requests against the same targets', async () => {
    telemetry = createTestTelemetry();
    const metrics = createMetrics();
    const app = await buildApp({
      users: new UsersRepository(':memory:', 3),
      mail: createMailClient('http://127.0.0.1:9', metrics),
      metrics,
      logger: pino({ level: 'silent' }),
    });
    try {
      expect((await app.inject({ url: '/users/1' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/users' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
    expect(telemetry.findSpan('GET /users/:id')?.attributes['sla.target_ms']).toBe(
      sla['GET /users/:id'],
    );
    expect(telemetry.findSpan('GET /users')?.attributes['sla.target_ms']).toBe(sla['GET /users']);
  });
});
