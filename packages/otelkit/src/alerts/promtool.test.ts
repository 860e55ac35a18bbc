import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prometheusRules } from './prometheus-rules.ts';
import { parseSloFile } from './validate-slo-file.ts';

// The promtool unit tests in ./promtool (synthetic series, expected alerts)
// run against the rules generated for ./promtool/slo.json, with promtool
// from Debian's prometheus package.
const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
const hasPromtool = existsSync(PROMTOOL);
if (!hasPromtool)
  console.warn(
    `${PROMTOOL} not found: install Debian's prometheus package to run the rule unit tests`,
  );

const source = join(import.meta.dirname, 'promtool');
const testFiles = readdirSync(source)
  .filter((f) => f.endsWith('.test.yml'))
  .sort();
const dir = mkdtempSync(join(tmpdir(), 'otelkit-promtool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasPromtool)('promtool test rules', () => {
  it('has rule unit tests to run', () => {
    expect(testFiles).toEqual(['availability.test.yml', 'errors.test.yml', 'latency.test.yml']);
  });

  it.each(testFiles)('%s passes against the generated rules', (file) => {
    const slo = parseSloFile(readFileSync(join(source, 'slo.json'), 'utf8'));
    writeFileSync(join(dir, 'rules.yml'), prometheusRules(slo));
    copyFileSync(join(source, file), join(dir, file));
    const run = spawnSync(PROMTOOL, ['test', 'rules', file], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(`${run.stdout}${run.stderr}`).toContain('SUCCESS');
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });
});
