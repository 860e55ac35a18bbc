#!/usr/bin/env node
// The `otelkit-viewer` command. Runs the build when there is one; inside the repository
// before a build, the TypeScript sources (Node.js strips their types from 22.18 on).
import { existsSync } from 'node:fs';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(
    `otelkit-viewer needs Node.js 22.13 or newer (for node:sqlite); this is ${process.version}`,
  );
  process.exit(1);
}
const built = new URL('../dist/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else if (process.features.typescript) {
  await import('../src/cli.ts');
} else {
  console.error(
    'otelkit-viewer is not built: run `npm run build -w otelkit-viewer`, or use Node.js 22.18 or newer',
  );
  process.exit(1);
}
