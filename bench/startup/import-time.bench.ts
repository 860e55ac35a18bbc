// How long importing otelkit takes, against importing @opentelemetry/api alone:
// each import in a fresh process (so nothing is cached in the module graph),
// from the built `dist` that users install, the entries alternated over many
// rounds. Reported, no goal.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { median } from '../lib/compare.ts';
import { writeResults } from '../lib/results.ts';

const ENTRIES = ['@opentelemetry/api', 'otelkit', 'otelkit/setup'] as const;
type Entry = (typeof ENTRIES)[number];
const rounds = Number(process.env.STARTUP_BENCH_ROUNDS ?? 30);
const warmupRounds = 2;
const here = import.meta.dirname;
const library = join(here, '..', '..', 'packages', 'otelkit');

const build = buildWhenStale();

const samples: Record<Entry, number[]> = {
  '@opentelemetry/api': [],
  otelkit: [],
  'otelkit/setup': [],
};
for (let round = 0; round < warmupRounds + rounds; round++) {
  // Rotate which entry goes first, so that no entry always follows another.
  for (let i = 0; i < ENTRIES.length; i++) {
    const entry = ENTRIES[(i + round) % ENTRIES.length]!;
    const ms = timeImport(entry);
    if (round >= warmupRounds) samples[entry].push(ms);
  }
}

const overApi = (entry: Entry) =>
  median(samples[entry].map((ms, i) => ms - samples['@opentelemetry/api'][i]!));
const imports = ENTRIES.map((entry) => ({
  entry,
  medianMs: median(samples[entry]),
  // Per round, minus the API import of the same round.
  extraOverApiMs: entry === '@opentelemetry/api' ? 0 : overApi(entry),
  samplesMs: samples[entry],
}));
console.log(`\nstartup: import in a fresh process, from dist, median of ${rounds} rounds`);
console.table(
  imports.map(({ entry, medianMs, extraOverApiMs }) => ({
    entry,
    'import ms': medianMs.toFixed(1),
    'ms over @opentelemetry/api': extraOverApiMs.toFixed(1),
  })),
);
writeResults('startup', { name: 'startup', from: 'packages/otelkit/dist', build, rounds, imports });

function timeImport(entry: Entry): number {
  const { status, stdout, stderr } = spawnSync(
    process.execPath,
    [join(here, 'time-import.ts'), entry],
    { cwd: here, encoding: 'utf8', env: withoutCompileCache() },
  );
  if (status !== 0) throw new Error(`importing ${entry} failed:\n${stderr}`);
  return (JSON.parse(stdout) as { ms: number }).ms;
}

// A compile cache would make every import after the first one cheaper than a user's first start.
function withoutCompileCache(): NodeJS.ProcessEnv {
  const { NODE_COMPILE_CACHE: _, NODE_OPTIONS: __, ...env } = process.env;
  return env;
}

/**
 * Builds packages/otelkit when a source file is newer than its dist, so the
 * figures are of this tree: its build, less scratch `*.tmp.ts` files that are
 * not part of the package. On type errors tsc emits nothing (it would also
 * write beside stray sources outside the package), and the dist as it was is
 * measured, marked stale in the results.
 */
function buildWhenStale(): string {
  const built = join(library, 'dist', 'index.js');
  const newest = (dir: string) =>
    Math.max(
      ...readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.tmp.ts'))
        .map((f) => statSync(join(dir, f)).mtimeMs),
    );
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(library, 'src'))) {
    return 'up to date';
  }
  console.log('building packages/otelkit: its dist is older than its sources');
  const tsc = join(
    createRequire(import.meta.url).resolve('typescript/package.json'),
    '..',
    'bin',
    'tsc',
  );
  const { status } = spawnSync(
    process.execPath,
    [tsc, '-p', join(here, 'tsconfig.build.json'), '--noEmitOnError'],
    { stdio: 'inherit' },
  );
  if (status === 0) return 'built';
  if (!existsSync(built)) throw new Error('packages/otelkit has no dist and does not build');
  console.warn('tsc reported type errors and emitted nothing: measuring the dist as it was');
  return 'stale: the sources did not build';
}
