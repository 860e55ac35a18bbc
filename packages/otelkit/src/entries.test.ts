import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

// Records every package a fresh process loads while importing `specifier`.
const recorder = `
import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(result.url);
    if (match) loaded.add(match[1]);
    return result;
  },
});
process.on('exit', () => process.stdout.write(JSON.stringify([...loaded].sort())));
`;

function packagesLoadedBy(specifier: string, then = ''): string[] {
  const { stdout, status, stderr } = spawnSync(
    process.execPath,
    [
      '--conditions=otelkit-source',
      '--import',
      `data:text/javascript,${encodeURIComponent(recorder)}`,
      '--input-type=module',
      '-e',
      `const entry = await import(${JSON.stringify(specifier)});${then}`,
    ],
    { cwd: repositoryRoot, encoding: 'utf8' },
  );
  expect(stderr).toBe('');
  expect(status).toBe(0);
  return JSON.parse(stdout) as string[];
}

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
    const loaded = packagesLoadedBy(
      'otelkit/setup',
      "await entry.setup({ exporter: 'none' }).shutdown();",
    );
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
  return spawnSync(
    process.execPath,
    [
      '--conditions=otelkit-source',
      '--import',
      `data:text/javascript,${encodeURIComponent(withoutPeer(peer))}`,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(specifier)}); console.log('loaded');`,
    ],
    { cwd: repositoryRoot, encoding: 'utf8' },
  );
}

describe('optional peers', () => {
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
