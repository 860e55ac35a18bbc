import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closedPort } from './export/test-support/closed-port.ts';
import { SOURCE_NODE_FLAGS } from './test-support/source-node.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

// Records every package a fresh process loads (imports or requires) while running a script.
const recorder = `
import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(url);
    if (match) loaded.add(match[1]);
    return nextLoad(url, context);
  },
});
process.on('exit', () => process.stdout.write(JSON.stringify([...loaded].sort())));
`;

function packagesLoadedBy(specifier: string): string[] {
  return packagesLoadedByScript(`await import(${JSON.stringify(specifier)});`, {});
}

function packagesLoadedByScript(script: string, env: Record<string, string>): string[] {
  const { stdout, status, stderr } = spawnSync(
    process.execPath,
    [
      ...SOURCE_NODE_FLAGS,
      '--import',
      `data:text/javascript,${encodeURIComponent(recorder)}`,
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: repositoryRoot, encoding: 'utf8', env: { ...process.env, ...env } },
  );
  expect(stderr).toBe('');
  expect(status).toBe(0);
  return JSON.parse(stdout) as string[];
}

/** The official exporters, their transports, and the instrumentation package. */
const LAZY = /^(?:@opentelemetry\/(?:exporter-|otlp-|instrumentation$)|@grpc\/)/;

/** Sets up with `options`, then shuts down at once. */
const setupScript = (options: string) => `
  const { setup } = await import('otelkit/setup');
  await setup(${options}).shutdown().catch(() => {});
`;

describe('entries', () => {
  it('otelkit loads no SDK, exporter or instrumentation module: only the API', () => {
    const loaded = packagesLoadedBy('otelkit');
    expect(loaded).toContain('@opentelemetry/api');
    expect(
      loaded.filter(
        (name) => name !== '@opentelemetry/api' && name !== '@opentelemetry/semantic-conventions',
      ),
    ).toEqual([]);
  });

  it('otelkit/setup loads no exporter and no instrumentation package until setup() asks for one', () => {
    expect(packagesLoadedBy('otelkit/setup').filter((name) => LAZY.test(name))).toEqual([]);
    const console = packagesLoadedByScript(setupScript("{ exporter: 'console' }"), {});
    expect(console.filter((name) => LAZY.test(name))).toEqual([]);
  });

  it('setup() loads the exporter packages of what it is configured with, and only those', async () => {
    // Nothing is sent anywhere: the OTLP endpoint is a port nobody listens on.
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const exporters = (options: string, env?: Record<string, string>) =>
      packagesLoadedByScript(setupScript(options), {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        ...env,
      }).filter((name) => /^@opentelemetry\/(?:exporter-|instrumentation$)|^@grpc\//.test(name));
    // The default: otelkit's own processors and metric exporter (the official metrics serializer).
    expect(exporters('{}')).toEqual([]);
    expect(
      packagesLoadedByScript(setupScript('{}'), { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }),
    ).toContain('@opentelemetry/otlp-transformer');
    expect(exporters("{ protocol: 'http/json' }")).toEqual([
      '@opentelemetry/exporter-logs-otlp-http',
      '@opentelemetry/exporter-metrics-otlp-http',
      '@opentelemetry/exporter-trace-otlp-http',
    ]);
    const grpc = exporters("{ protocol: 'grpc', headers: { 'x-tenant': 'acme' } }", {
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    expect(grpc).toContain('@grpc/grpc-js');
    expect(grpc).toContain('@opentelemetry/exporter-trace-otlp-grpc');
    expect(grpc.filter((name) => /exporter-(?:metrics|logs)/.test(name))).toEqual([]);
    const port = await closedPort();
    expect(exporters(`{ metrics: { exporter: 'prometheus', port: ${port} } }`)).toEqual([
      '@opentelemetry/exporter-prometheus',
    ]);
    const instrumented = `{ exporter: 'none', instrumentations: [{
      instrumentationName: 'fake', instrumentationVersion: '1', enable() {}, disable() {},
      setTracerProvider() {}, setMeterProvider() {}, getConfig: () => ({}), setConfig() {} }] }`;
    expect(exporters(instrumented)).toEqual(['@opentelemetry/instrumentation']);
  });

  it('otelkit/setup is where the SDK comes in', () => {
    const loaded = packagesLoadedBy('otelkit/setup');
    expect(loaded).toEqual(
      expect.arrayContaining([
        '@opentelemetry/sdk-trace',
        '@opentelemetry/sdk-metrics',
        '@opentelemetry/sdk-logs',
      ]),
    );
  });

  it('setup() traces database clients without loading any driver', () => {
    const loaded = packagesLoadedByScript(setupScript("{ exporter: 'none' }"), {});
    for (const driver of ['mysql2', 'redis', '@redis/client', 'ioredis', 'pg']) {
      expect(loaded).not.toContain(driver);
    }
  });
});

// Makes `peer` unresolvable, as in an app that never installed it.
const withoutPeer = (peer: string) => `
import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === '${peer}' || specifier.startsWith('${peer}/')) {
      const error = new Error("Cannot find package '${peer}' imported from " + context.parentURL);
      error.code = 'ERR_MODULE_NOT_FOUND';
      throw error;
    }
    return nextResolve(specifier, context);
  },
});
`;

function importWithout(peer: string, specifier: string) {
  return runWithout(peer, `await import(${JSON.stringify(specifier)}); console.log('loaded');`);
}

function runWithout(peer: string, script: string) {
  return spawnSync(
    process.execPath,
    [
      ...SOURCE_NODE_FLAGS,
      '--import',
      `data:text/javascript,${encodeURIComponent(withoutPeer(peer))}`,
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: repositoryRoot, encoding: 'utf8' },
  );
}

describe('optional peers', () => {
  it('without the gRPC exporter, setup() with grpc throws a SetupError naming what to install', () => {
    const script = `
      const { setup } = await import('otelkit/setup');
      try {
        setup({ protocol: 'grpc', exporter: 'otlp' });
      } catch (error) {
        console.log(error.name + ': ' + error.message);
      }`;
    const { status, stdout, stderr } = runWithout(
      '@opentelemetry/exporter-trace-otlp-grpc',
      script,
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('SetupError: otelkit setup: invalid option protocol = "grpc"');
    expect(stdout).toContain('npm install @opentelemetry/exporter-trace-otlp-grpc@~0.301.2');
    expect(stdout).not.toContain('exporter-logs-otlp-grpc');
  });

  it('without autocannon, otelkit profile names the package to install and starts nothing', () => {
    const cli = fileURLToPath(new URL('./cli/main.ts', import.meta.url));
    const script = `
      const { main } = await import(${JSON.stringify(cli)});
      process.exitCode = await main(['profile', '--', process.execPath, '-e', 'console.log("started")']);`;
    const { status, stdout, stderr } = runWithout('autocannon', script);
    expect(status).toBe(1);
    expect(stderr).toContain(
      'otelkit profile needs the "autocannon" package, which is not installed: npm install -D autocannon',
    );
    expect(stdout).not.toContain('started');
  });

  it.each([
    ['hono', 'otelkit/hono'],
    ['pino', 'otelkit/pino'],
  ])('without %s, importing %s names the package and the install command', (peer, entry) => {
    const { status, stderr } = importWithout(peer, entry);
    expect(status).not.toBe(0);
    expect(stderr).toContain(
      `${entry} needs the "${peer}" package, which is not installed: npm install ${peer}`,
    );
  });

  it.each([
    ['fastify', 'otelkit/fastify'],
    ['express', 'otelkit/express'],
  ])('without %s, %s still loads (it only needs the types)', (peer, entry) => {
    const { status, stdout } = importWithout(peer, entry);
    expect(status).toBe(0);
    expect(stdout).toContain('loaded');
  });
});
