// The package as users get it: `npm pack`, then `npm install @opentelemetry/api <tarball>`
// in an empty app, on the Node.js this suite runs on (24, and 22.15 in CI's second leg).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FreshInstall, freshInstall, npm } from '../../../tools/fresh-install.ts';
import { type OtlpTraceSink, startOtlpTraceSink } from '../src/test-support/otlp-trace-sink.ts';

/** The most packages `npm install @opentelemetry/api otelkit` may bring. */
const MAX_PACKAGES = 35;

let dir: string;
let install: FreshInstall;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'otelkit-packed-'));
  install = freshInstall(dir);
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs an ES module script in the fresh app, as its own code would (this process keeps serving). */
async function runInApp(script: string) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: install.app,
    timeout: 60_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [status] = (await once(child, 'exit')) as [number | null];
  return { status, stdout, stderr };
}

describe('otelkit installed from its tarball', () => {
  it(`installs at most ${MAX_PACKAGES} packages, with one copy of each OpenTelemetry package`, () => {
    expect(install.packages).toBeLessThanOrEqual(MAX_PACKAGES);
    const versions = new Map<string, Set<string>>();
    for (const [path, version] of install.installed) {
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      if (!name.startsWith('@opentelemetry/')) continue;
      versions.set(name, (versions.get(name) ?? new Set()).add(version));
    }
    const duplicated = [...versions].filter(([, found]) => found.size > 1);
    expect(duplicated).toEqual([]);
    // npm ls exits non-zero on anything missing, invalid or extraneous.
    npm(['ls', '--all'], install.app);
  });

  it('brings neither the load generator nor the gRPC stack, and no command but otelkit', () => {
    const names = [...install.installed.keys()];
    expect(names.filter((path) => /autocannon|grpc|-proto$|protobufjs/.test(path))).toEqual([]);
    expect(readdirSync(join(install.app, 'node_modules', '.bin'))).toEqual(['otelkit']);
  });

  describe('in use', () => {
    let sink: OtlpTraceSink;
    beforeAll(async () => {
      sink = await startOtlpTraceSink();
    });
    afterAll(() => sink?.close());

    it('exports spans and metrics with the default configuration, and prints nothing', async () => {
      const run = await runInApp(
        `import { withSpan } from 'otelkit';
        import { setup } from 'otelkit/setup';
        const telemetry = setup({ service: { name: 'fresh-app' }, endpoint: ${JSON.stringify(sink.url)} });
        withSpan('checkout', () => {});
        await telemetry.shutdown();
        console.log('done');`,
      );
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('done\n');
      expect(sink.spans.map((span) => span.name)).toContain('checkout');
      expect(sink.requests.map((request) => request.path)).toContain('/v1/metrics');
    });

    it('names the packages to install for gRPC', async () => {
      const run = await runInApp(
        `import { setup } from 'otelkit/setup';
        try { setup({ protocol: 'grpc' }); } catch (error) { console.log(error.message); }`,
      );
      expect(run.stdout).toContain(
        'npm install @opentelemetry/exporter-trace-otlp-grpc@~0.301.2 @opentelemetry/exporter-metrics-otlp-grpc@~0.301.2 @opentelemetry/exporter-logs-otlp-grpc@~0.301.2 @grpc/grpc-js@^1.14.0',
      );
    });

    it('names autocannon when otelkit profile needs it', () => {
      const bin = join(install.app, 'node_modules', '.bin', 'otelkit');
      const otelkit = spawnSync(
        process.execPath,
        [bin, 'profile', '--', process.execPath, '-e', ''],
        { cwd: install.app, encoding: 'utf8', timeout: 60_000 },
      );
      expect(otelkit.status).toBe(1);
      expect(otelkit.stderr).toContain('npm install -D autocannon');
    });
  });
});
