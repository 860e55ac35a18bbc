// Runs every `*.bench.ts` under bench/ in its own process, one after another,
// so that one benchmark's garbage and JIT state never skew the next.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.bench.ts') && !f.includes('node_modules'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${relative(process.cwd(), join(root, file))}`);
  const { status } = spawnSync(
    process.execPath,
    ['--conditions=otelkit-source', '--expose-gc', join(root, file)],
    { stdio: 'inherit' },
  );
  if (status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
