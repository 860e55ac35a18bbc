// Runs the benchmarks, each in its own process, one after another, so that one
// benchmark's garbage and JIT state never skew the next; then prints the goals
// of the results files this run wrote, regenerates the figures in the docs, and
// exits non-zero when a benchmark failed or a goal was missed.
//
//   npm run bench                  every *.bench.ts
//   npm run bench -- http tracing  those whose path contains `http` or `tracing`
//   npm run bench -- outage        also a *.soak.ts, which runs only when its file name is given
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Goal } from './lib/results.ts';
import { resultsDirectory } from './lib/results.ts';

const root = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => !f.includes('node_modules'))
  .filter((f) =>
    f.endsWith('.soak.ts')
      ? only.some((o) => basename(f).includes(o))
      : f.endsWith('.bench.ts') && (only.length === 0 || only.some((o) => f.includes(o))),
  )
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${only.join(', ')}`);
  process.exit(1);
}

// Files only count when this run wrote them; mtime has a coarser clock than Date.now().
const started = Date.now() - 1000;
const failed: string[] = [];
for (const file of files) {
  console.log(`\n=== ${relative(process.cwd(), join(root, file))}`);
  const { status } = spawnSync(
    process.execPath,
    ['--conditions=otelkit-source', '--expose-gc', join(root, file)],
    { stdio: 'inherit' },
  );
  if (status !== 0) failed.push(file);
}

interface Row {
  results: string;
  goal: string;
  target: string;
  figure: string;
  met: string;
}
const rows: Row[] = [];
for (const name of readdirSync(resultsDirectory).sort()) {
  const path = join(resultsDirectory, name);
  if (!name.endsWith('.json') || statSync(path).mtimeMs < started) continue;
  const { goals } = JSON.parse(readFileSync(path, 'utf8')) as { goals?: Goal[] };
  for (const goal of goals ?? []) {
    rows.push({
      results: name.replace(/\.json$/, ''),
      goal: goal.name,
      target: goal.target,
      figure: Number(goal.value.toFixed(3)).toString(),
      met: goal.met ? 'yes' : 'NO',
    });
  }
}
if (rows.length > 0) {
  console.log('\n=== goals');
  console.table(rows);
}

console.log('\n=== docs');
const docs = spawnSync(process.execPath, [join(root, '..', 'tools', 'bench-docs.ts')], {
  stdio: 'inherit',
});

const missed = rows.filter((row) => row.met !== 'yes');
if (failed.length > 0) console.error(`\nfailed: ${failed.join(', ')}`);
if (missed.length > 0) console.error(`\ngoals missed: ${missed.length} of ${rows.length}`);
if (docs.status !== 0) console.error('\nthe docs could not be regenerated');
process.exit(failed.length > 0 || missed.length > 0 || docs.status !== 0 ? 1 : 0);
