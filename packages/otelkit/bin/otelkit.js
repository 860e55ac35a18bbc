#!/usr/bin/env node
// The `otelkit` command. Runs the build when there is one; inside the
// repository before a build, the TypeScript sources (Node 22.18+ strips types).
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
const { main } = await import(existsSync(built) ? built.href : '../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
