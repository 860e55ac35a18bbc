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

function packagesLoadedBy(specifier: string): string[] {
  const { stdout, status, stderr } = spawnSync(
    process.execPath,
    [
      '--conditions=otelkit-source',
      '--import',
      `data:text/javascript,${encodeURIComponent(recorder)}`,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(specifier)});`,
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
});
