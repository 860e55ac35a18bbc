import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runRules } from './rules.ts';

const dir = mkdtempSync(join(tmpdir(), 'otelkit-cli-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sloFile = join(dir, 'slo.json');
writeFileSync(
  sloFile,
  JSON.stringify({
    service: 'users-api',
    objectives: [{ name: 'availability', routes: '*', objective: 0.999 }],
  }),
);

let stdout = '';
let stderr = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((...args) => {
    stdout += `${args.join(' ')}\n`;
  });
  vi.spyOn(console, 'error').mockImplementation((...args) => {
    stderr += `${args.join(' ')}\n`;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('otelkit rules', () => {
  it('writes the rules of an SLO file to standard output', async () => {
    expect(await runRules([sloFile])).toBe(0);
    expect(stdout).toContain('- alert: SloFastBurn');
    expect(stdout).toContain('job="users-api"');
  });

  it('writes them to --out, for the --job given, scaled by --time-scale', async () => {
    const out = join(dir, 'rules.yml');
    expect(await runRules([sloFile, '--out', out, '--job', 'users', '--time-scale', '60'])).toBe(0);
    const rules = readFileSync(out, 'utf8');
    expect(rules).toContain('job="users"');
    expect(rules).toContain('[5s]');
    expect(stdout).toBe('');
  });

  it('uses the --link-template for the link annotation', async () => {
    expect(await runRules([sloFile, '--link-template', 'https://dash/{job}?r={route}'])).toBe(0);
    expect(stdout).toContain("link: 'https://dash/users-api?r={{");
  });

  it('exits 1 naming the file and the field of an invalid SLO file', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      '{"service":"users-api","objectives":[{"name":"x","routes":"*","objective":99.9}]}',
    );
    expect(await runRules([bad])).toBe(1);
    expect(stderr).toContain(`${bad}: invalid SLO file: objectives[0].objective = 99.9`);
  });

  it('reports every problem of an SLO file in one run', async () => {
    const bad = join(dir, 'bad-twice.json');
    writeFileSync(
      bad,
      JSON.stringify({
        service: 'users-api',
        objectives: [
          { name: 'latency', routes: ['GET /users/:id'], thresholdMs: 200, objective: 0.99 },
        ],
        errorAlerts: [{ name: 'critical-errors', severity: 'fatal', maxPerMinute: 0 }],
      }),
    );
    expect(await runRules([bad])).toBe(1);
    expect(stderr).toContain(`${bad}: invalid SLO file: 2 problems`);
    expect(stderr).toContain('objectives[0].thresholdMs = 200');
    expect(stderr).toContain('errorAlerts[0].severity = "fatal"');
  });

  it('exits 2 with the usage on bad arguments', async () => {
    expect(await runRules([])).toBe(2);
    expect(await runRules([sloFile, '--time-scale', 'fast'])).toBe(2);
    expect(await runRules([sloFile, '--bogus'])).toBe(2);
    expect(stderr).toContain('Usage: otelkit rules <slo-file>');
    expect(stderr).toContain('--time-scale fast');
  });

  it('exits 1 when the file cannot be read', async () => {
    expect(await runRules([join(dir, 'missing.json')])).toBe(1);
    expect(stderr).toContain('cannot read');
  });
});
