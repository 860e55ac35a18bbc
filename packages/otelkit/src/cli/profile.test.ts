import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closedPort } from '../export/test-support/closed-port.ts';
import { type OtlpTraceSink, startOtlpTraceSink } from '../test-support/otlp-trace-sink.ts';
import { SOURCE_NODE_FLAGS } from '../test-support/source-node.ts';
import { isCpuProfile } from './profile/cpu-profile.ts';
import { type Group, TELEMETRY_GROUPS } from './profile/module-group.ts';
import type { ComparisonSummary, ProfileSummary } from './profile/profile-summary.ts';
import { runProfile } from './profile.ts';

// Each profile is a real service in its own process, under real load on 127.0.0.1.
const service = (name: string) => [
  process.execPath,
  ...SOURCE_NODE_FLAGS,
  fileURLToPath(new URL(`./profile/test-support/${name}.ts`, import.meta.url)),
];

let sink: OtlpTraceSink;
let out: string;
beforeAll(async () => {
  sink = await startOtlpTraceSink();
  vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', sink.url);
  out = await mkdtemp(join(tmpdir(), 'otelkit-profile-'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sink?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

async function profile(args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runProfile(['--out', out, ...args], {
    out: (text) => stdout.push(text),
    err: (line) => stderr.push(line),
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

/** `otelkit profile --json` of a fixture service under a short load; the run must succeed. */
async function profileSummary(name: string): Promise<ProfileSummary> {
  const { code, stdout, stderr } = await profile([
    '--json',
    '--duration',
    '3',
    '--connections',
    '8',
    '--',
    ...service(name),
  ]);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as ProfileSummary;
}

const total = (summary: ProfileSummary) => summary.groups.reduce((sum, g) => sum + g.percent, 0);
const isTelemetry = (group: string) => TELEMETRY_GROUPS.has(group as Group);

describe('otelkit profile', () => {
  it('reports where a Fastify app with otelkit spends its CPU, naming telemetry functions among the top', async () => {
    const summary = await profileSummary('traced-service');
    expect(Object.keys(summary).sort()).toEqual(
      [
        'cpuMicrosPerRequest',
        'groups',
        'profilePath',
        'requestsPerSecond',
        'telemetryPercent',
        'top',
      ].sort(),
    );
    expect(total(summary)).toBeCloseTo(100, 6);
    expect(summary.telemetryPercent).toBeGreaterThan(1);
    expect(summary.top.filter((f) => isTelemetry(f.group)).length).toBeGreaterThan(0);
    expect(Object.keys(summary.top[0]!).sort()).toEqual([
      'function',
      'group',
      'selfPercent',
      'url',
    ]);
    expect(summary.requestsPerSecond).toBeGreaterThan(0);
    expect(summary.cpuMicrosPerRequest).toBeGreaterThan(0);
    // The app really exported what it traced.
    expect(sink.spans.some((s) => s.resource['service.name'] === 'profile-fixture')).toBe(true);

    const written = JSON.parse(await readFile(summary.profilePath, 'utf8')) as unknown;
    expect(isCpuProfile(written)).toBe(true);
    const summaryFile = summary.profilePath.replace(/\.cpuprofile$/, '.json');
    expect(JSON.parse(await readFile(summaryFile, 'utf8'))).toEqual(summary);
  }, 60_000);

  it('reports telemetry under 1 % for the same app without otelkit, and its own code as the service', async () => {
    const summary = await profileSummary('plain-service');
    expect(total(summary)).toBeCloseTo(100, 6);
    expect(summary.telemetryPercent).toBeLessThan(1);
    expect(summary.groups.find((g) => g.group === 'service')!.percent).toBeGreaterThan(0);
    expect(summary.groups.find((g) => g.group === 'framework')!.percent).toBeGreaterThan(0);
  }, 60_000);

  it("never counts the app's own errors as telemetry, even when their class extends otelkit's", async () => {
    const summary = await profileSummary('error-service');
    expect(summary.telemetryPercent).toBeLessThan(1);
    expect(summary.groups.find((g) => g.group === 'service')!.percent).toBeGreaterThan(1);
  }, 60_000);

  it('exits non-zero naming the first error when no request succeeded', async () => {
    const port = await closedPort();
    const { code, stdout, stderr } = await profile([
      '--duration',
      '1',
      '--url',
      `http://127.0.0.1:${port}/`,
      '--',
      ...service('plain-service'),
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /no request succeeded: 0 responses, 0 not 2xx, [\d,]+ errors; the first: /,
    );
    expect(stderr).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    expect(stdout).not.toContain('telemetry:');
  }, 60_000);

  it('warns above the table when more than 1 % of the requests failed', async () => {
    const { code, stdout, stderr } = await profile([
      '--duration',
      '2',
      '--',
      ...service('flaky-service'),
    ]);
    expect(code, stderr).toBe(0);
    const lines = stdout.split('\n');
    const warning = lines.findIndex((line) => line.includes('warning:'));
    expect(lines[warning]).toMatch(
      /warning: (9|10|11)\.\d % of requests failed \([\d,]+ not 2xx, 0 errors; the first: HTTP 500\)/,
    );
    expect(warning).toBeLessThan(lines.findIndex((line) => line.includes('busy CPU')));
  }, 60_000);

  it('--compare prints the run as configured, sampled and without the SDK side by side', async () => {
    // Spans exported by each run: every run's service flushes before the next one starts.
    const exported: number[] = [];
    const stdout: string[] = [];
    const code = await runProfile(
      [
        '--out',
        out,
        '--compare',
        '--duration',
        '1',
        '--connections',
        '8',
        '--',
        ...service('traced-service'),
      ],
      {
        out: (text) => stdout.push(text),
        err: (line) => {
          if (/^otelkit profile: run \d of 3/.test(line)) exported.push(sink.spans.length);
        },
      },
    );
    exported.push(sink.spans.length);
    expect(code).toBe(0);
    const report = stdout.join('\n');
    expect(report).toMatch(/telemetry: \d+\.\d % of busy CPU, ≈ [\d.,]+ µs per request/);
    const header = report.split('\n').find((line) => line.includes('SDK disabled'));
    expect(header).toMatch(/as configured\s+sampled 10 %\s+SDK disabled/);

    const summaryPath = /summary: (\S+)/.exec(report)![1]!;
    const { runs } = JSON.parse(await readFile(summaryPath, 'utf8')) as ComparisonSummary;
    expect(runs).toHaveLength(3);
    for (const run of runs) expect(total(run)).toBeCloseTo(100, 6);
    const profiles = (await readdir(out)).filter((f) => f.endsWith('.cpuprofile'));
    for (const suffix of ['-configured', '-sampled', '-disabled']) {
      expect(profiles.some((f) => f.includes(suffix))).toBe(true);
    }
    // Each run had its configuration: every request traced, about one in ten, none.
    const [configured, sampled, disabled] = exported.slice(1).map((n, i) => n - exported[i]!);
    expect(configured).toBeGreaterThan(0);
    expect(sampled).toBeLessThan(configured!);
    expect(disabled).toBe(0);
  }, 120_000);

  it('with --no-load, profiles the load someone else drives and counts the requests the service got', async () => {
    let driving: Promise<void> | undefined;
    const stdout: string[] = [];
    const code = await runProfile(
      ['--out', out, '--no-load', '--duration', '1', '--json', '--', ...service('plain-service')],
      {
        out: (text) => stdout.push(text),
        err: (line) => {
          const url = /^profiling (\S+): drive load/.exec(line)?.[1];
          if (url) driving = drive(url, 20);
        },
      },
    );
    await driving;
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.join('\n')) as ProfileSummary;
    expect(summary.requestsPerSecond).toBeGreaterThan(0);
    expect(total(summary)).toBeCloseTo(100, 6);
  }, 60_000);

  it('fails with a clear message when the service never becomes ready', async () => {
    const { code, stderr } = await profile([
      '--timeout',
      '2',
      '--duration',
      '1',
      '--',
      ...service('never-ready'),
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('the service did not become ready within 2 s');
    expect(stderr).toContain('it printed no URL');
  }, 30_000);

  it('fails with the exit code when the service exits before it is ready', async () => {
    const { code, stderr } = await profile(['--', process.execPath, '-e', 'process.exit(3)']);
    expect(code).toBe(1);
    expect(stderr).toContain('the service exited (code 3) before it was ready');
  }, 30_000);

  it('refuses bad options before starting anything, naming the value', async () => {
    const { code, stderr } = await profile(['--connections', 'many', '--', 'node', 'app.js']);
    expect(code).toBe(2);
    expect(stderr).toContain('--connections must be a whole number from 1 to 10000, got "many"');
  });
});

/** Sends `count` requests one after another, as a user's own load tool would. */
async function drive(url: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await fetch(url);
    await response.text();
  }
}
