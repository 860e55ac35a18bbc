// What installing otelkit costs an app: `npm pack`, then `npm install @opentelemetry/api
// <tarball>` in an empty app (packages and disk space), and how long importing otelkit takes
// there against importing @opentelemetry/api alone: each import in a fresh process (so nothing
// is cached in the module graph), the entries alternated over many rounds.
// Goals: at most 35 packages; `import 'otelkit/setup'` at most 150 ms over the API.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshInstall } from '../../tools/fresh-install.ts';
import { median } from '../lib/compare.ts';
import { type Goal, writeResults } from '../lib/results.ts';

const ENTRIES = ['@opentelemetry/api', 'otelkit', 'otelkit/setup'] as const;
type Entry = (typeof ENTRIES)[number];
const rounds = Number(process.env.STARTUP_BENCH_ROUNDS ?? 30);
const warmupRounds = 2;
const MAX_PACKAGES = 35;
const MAX_SETUP_OVER_API_MS = 150;

const dir = mkdtempSync(join(tmpdir(), 'otelkit-startup-'));
const install = freshInstall(dir);
const timer = join(install.app, 'time-import.mjs');
copyFileSync(join(import.meta.dirname, 'time-import.ts'), timer);
console.log(`fresh app: ${install.packages} packages, ${install.megabytes} MiB in node_modules`);

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
console.log(`\nstartup: import in a fresh process of the fresh app, median of ${rounds} rounds`);
console.table(
  imports.map(({ entry, medianMs, extraOverApiMs }) => ({
    entry,
    'import ms': medianMs.toFixed(1),
    'ms over @opentelemetry/api': extraOverApiMs.toFixed(1),
  })),
);
const setupOverApi = imports.find((i) => i.entry === 'otelkit/setup')!.extraOverApiMs;
const goals: Goal[] = [
  {
    name: 'packages of npm install @opentelemetry/api otelkit',
    target: `≤ ${MAX_PACKAGES}`,
    value: install.packages,
    met: install.packages <= MAX_PACKAGES,
  },
  {
    name: "import 'otelkit/setup' over the API (ms)",
    target: `≤ ${MAX_SETUP_OVER_API_MS}`,
    value: setupOverApi,
    met: setupOverApi <= MAX_SETUP_OVER_API_MS,
  },
];
writeResults(
  'startup',
  {
    name: 'startup',
    from: 'a fresh app: npm install @opentelemetry/api <packed otelkit>',
    install: { packages: install.packages, megabytes: install.megabytes },
    rounds,
    imports,
  },
  goals,
);
rmSync(dir, { recursive: true, force: true });

function timeImport(entry: Entry): number {
  const { status, stdout, stderr } = spawnSync(process.execPath, [timer, entry], {
    cwd: install.app,
    encoding: 'utf8',
    env: withoutCompileCache(),
  });
  if (status !== 0) throw new Error(`importing ${entry} failed:\n${stderr}`);
  return (JSON.parse(stdout) as { ms: number }).ms;
}

// A compile cache would make every import after the first one cheaper than a user's first start.
function withoutCompileCache(): NodeJS.ProcessEnv {
  const { NODE_COMPILE_CACHE: _, NODE_OPTIONS: __, ...env } = process.env;
  return env;
}
