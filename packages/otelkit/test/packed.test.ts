// otelkit as users get it: the packed tarball, installed into an app outside
// this repository, run by the Node.js that runs this suite (24, and 22 in the
// second run), and type-checked by a strict compiler that checks libraries too.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpTraceSink, startOtlpTraceSink } from '../src/test-support/otlp-trace-sink.ts';

const repository = join(import.meta.dirname, '..', '..', '..');
const packageDir = join(repository, 'packages', 'otelkit');
let app: string;
let sink: OtlpTraceSink;

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'otelkit-app-'));
  const modules = join(app, 'node_modules');
  mkdirSync(modules);
  // The build is `npm test`'s first step; packing does not rebuild.
  if (!existsSync(join(packageDir, 'dist', 'index.js'))) {
    throw new Error('packages/otelkit/dist is missing: run `npm run build` first');
  }
  const tarball = execFileSync(
    'npm',
    ['pack', '--silent', '--ignore-scripts', '--pack-destination', app],
    {
      cwd: packageDir,
      encoding: 'utf8',
    },
  )
    .trim()
    .split('\n')
    .pop()!;
  mkdirSync(join(modules, 'otelkit'));
  execFileSync('tar', [
    '-xzf',
    join(app, tarball),
    '-C',
    join(modules, 'otelkit'),
    '--strip-components=1',
  ]);
  // Everything else an app would have installed: the workspace's own copies.
  for (const name of readdirSync(join(repository, 'node_modules'))) {
    if (name === 'otelkit' || name === 'otelkit-viewer' || name.startsWith('.')) continue;
    symlinkSync(join(repository, 'node_modules', name), join(modules, name));
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', type: 'module' }));
  sink = await startOtlpTraceSink();
}, 180_000);

afterAll(async () => {
  await sink?.close();
  if (app) rmSync(app, { recursive: true, force: true });
});

/** What Node needs to run the app's TypeScript files: type stripping, before 22.18 a flag. */
const STRIP_TYPES = process.features.typescript
  ? []
  : ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'];

async function runNode(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [...STRIP_TYPES, ...args], {
    cwd: app,
    env,
    timeout: 60_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe(`the packed package on Node ${process.versions.node}`, () => {
  it("runs the README's first example and exports its spans", async () => {
    const example = readFileSync(join(repository, 'examples', 'twenty-lines.ts'), 'utf8');
    writeFileSync(join(app, 'readme.ts'), example);
    // Asynchronously: the sink answers from this process's event loop.
    const run = await runNode(['readme.ts'], {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      NODE_OPTIONS: '',
    });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('found Ada');
    expect(sink.spans.map((span) => span.name)).toEqual(
      expect.arrayContaining(['users.get', 'SELECT users']),
    );
  });

  it('type-checks an app using every entry under strict settings, libraries included', {
    timeout: 180_000,
  }, () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          lib: ['ES2023'],
        },
        files: ['app.ts'],
      }),
    );
    writeFileSync(
      join(app, 'app.ts'),
      `import { createServer } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { recordError, withSpan } from 'otelkit';
import { otelkitErrorHandler, otelkitMiddleware } from 'otelkit/express';
import { otelkitPlugin } from 'otelkit/fastify';
import { otelkitMiddleware as honoMiddleware } from 'otelkit/hono';
import { instrumentHandler } from 'otelkit/http';
import { createLogger } from 'otelkit/pino';
import { setup } from 'otelkit/setup';
import { createTestTelemetry } from 'otelkit/testing';

const telemetry = setup({ service: { name: 'app' }, exporter: 'none' });
const fastify = Fastify();
await fastify.register(otelkitPlugin, { ignore: ['/healthz'] });
const expressApp = express();
expressApp.use(otelkitMiddleware({ captureHeaders: ['x-tenant'] }));
expressApp.use(otelkitErrorHandler());
const hono = new Hono();
hono.use(honoMiddleware({ sla: { 'GET /': 100 } }));
createServer(instrumentHandler((_req, res) => res.end('ok')));
const logger = createLogger({ level: 'info' });
await withSpan('work', async () => logger.info('done')).catch(recordError);
await createTestTelemetry().shutdown();
await telemetry.shutdown();
`,
    );
    const tsc = spawnSync(
      process.execPath,
      [join(repository, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app],
      { cwd: app, encoding: 'utf8', timeout: 120_000 },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });
});
