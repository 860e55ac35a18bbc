import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { standardDecorators } from './tools/vitest-decorators.ts';

// Tests resolve `otelkit` and its subpaths to the TypeScript sources through the
// `otelkit-source` export condition, so they never depend on a stale build.
const conditions = ['otelkit-source', ...defaultServerConditions];

export default defineConfig({
  plugins: [standardDecorators()],
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['otelkit-source'] } },
  test: {
    // Nothing a test does may reach the default OTLP endpoint (a developer's collector).
    globalSetup: ['./tools/default-endpoint-guard.ts'],
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'examples/**/*.test.ts',
      'docs/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    typecheck: {
      enabled: true,
      include: ['packages/*/src/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    // CI keeps a JSON report per Node.js major (the suite runs on 24, the library again on 22).
    reporters: process.env.CI
      ? [
          'default',
          [
            'json',
            {
              outputFile: `.otelkit/vitest-results-node${process.versions.node.split('.')[0]}.json`,
            },
          ],
        ]
      : ['default'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    server: { deps: { inline: [/packages\/otelkit\/src/] } },
  },
});
