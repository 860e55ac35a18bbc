// `npm run profile`: `otelkit profile --compare` on the users service under the
// main job's load mix, exporting to an in-memory otelkit-viewer, run the way a
// user runs the command: the service started by `otelkit profile`, the load
// driven from here (`--no-load`), each run ended with Ctrl-C (SIGINT).
// Prints the report and writes bench/results/profile-demo.json for the docs.
//   --duration=SEC     seconds of profiled load per run (default 20)
//   --warmup=SEC       seconds of load before each profile starts (default 5)
//   --concurrency=N    concurrent clients of the load mix (default 8)
//   --no-results       leave bench/results/profile-demo.json alone
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startViewer } from 'otelkit-viewer';
import { demoSeed } from '../seeded-random.ts';
import { runLoad } from './load.ts';
import { viewerClient } from './viewer-client.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
    'no-results': { type: 'boolean', default: false },
  },
});
const seconds = Number(args.duration);
const warmupSeconds = Number(args.warmup);
const concurrency = Number(args.concurrency);
if (!(seconds > 0)) throw new Error(`--duration must be a positive number, got ${args.duration}`);
if (!(warmupSeconds > 0)) throw new Error(`--warmup must be a positive number, got ${args.warmup}`);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  throw new Error(`--concurrency must be a whole number from 1, got ${args.concurrency}`);
}

const root = resolve(import.meta.dirname, '../../../..');
const service = fileURLToPath(new URL('../service/main.ts', import.meta.url));
const outDir = join(root, '.otelkit', 'profile');
mkdirSync(outDir, { recursive: true });

// The `otelkit` command from its sources, as the rest of `npm start` runs, so
// that a stale build never answers for the code in the tree.
const packageJson = fileURLToPath(import.meta.resolve('otelkit/package.json'));
const cliMain = pathToFileURL(join(dirname(packageJson), 'src', 'cli', 'main.ts')).href;
const otelkit = [
  '--input-type=module',
  '--eval',
  `const { main } = await import(${JSON.stringify(cliMain)}); process.exitCode = await main(process.argv.slice(1));`,
];

const viewer = await startViewer({ port: 0, db: ':memory:' });
const before = new Set(readdirSync(outDir));
const sentPerRun: number[] = [];
const child = spawn(
  process.execPath,
  [
    '--conditions=otelkit-source',
    ...otelkit,
    'profile',
    '--compare',
    '--no-load',
    '--warmup',
    String(warmupSeconds),
    '--timeout',
    '60',
    '--out',
    outDir,
    '--',
    process.execPath,
    '--conditions=otelkit-source',
    service,
  ],
  {
    cwd: root,
    env: {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: viewer.url,
      OTEL_BSP_SCHEDULE_DELAY: '500',
      DEMO_METRIC_INTERVAL_MS: '2000',
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  },
);
const exited = once(child, 'exit') as Promise<[number | null]>;

// Each run says when to warm the service up and when it profiles; drive the
// main job's mix at it, and end the profile with Ctrl-C.
const drive = async (url: string, durationS: number) => {
  const stats = await runLoad({
    baseUrl: url.replace(/\/+$/, ''),
    durationMs: durationS * 1000,
    concurrency,
    seed: demoSeed(),
  });
  let sent = 0;
  for (const route of stats.values()) sent += route.latenciesMs.length;
  return sent;
};
for await (const line of createInterface({ input: child.stderr! })) {
  process.stderr.write(`${line}\n`);
  const warmup = /^warming up (\S+) for [\d.]+ s: drive load/.exec(line)?.[1];
  if (warmup !== undefined) await drive(warmup, warmupSeconds);
  const url = /^profiling (\S+): drive load/.exec(line)?.[1];
  if (url === undefined) continue;
  const sent = await drive(url, seconds);
  child.kill('SIGINT');
  sentPerRun.push(sent);
  process.stderr.write(`load: ${sent} requests of the main job's mix in ${seconds} s\n`);
}
const [code] = await exited;
// Each service flushed before it exited; give the viewer's write queue a moment.
await sleep(300);
const received = await viewerClient(viewer.url).stats();
await viewer.close();
if (code !== 0) {
  console.error(`otelkit profile exited with ${code}`);
  process.exit(1);
}
// Every request of the first run (every trace sampled) has at least its server span.
const tracedRequests = sentPerRun[0] ?? 0;
console.log(
  `\nthe viewer received ${received.spans} spans in ${received.traces} traces and ` +
    `${received.logs} log records; the first run served ${tracedRequests} requests, all traced`,
);
if (received.spans < tracedRequests) {
  console.error('fewer spans arrived than the first run served requests: not writing results');
  process.exit(1);
}

const written = readdirSync(outDir).filter((f) => f.endsWith('.json') && !before.has(f));
const summaryFile = written.sort().at(-1);
if (summaryFile === undefined) throw new Error(`otelkit profile wrote no summary in ${outDir}`);
const summary = JSON.parse(readFileSync(join(outDir, summaryFile), 'utf8')) as {
  runs: Array<{ profilePath: string }>;
};

if (!args['no-results']) {
  const results = join(root, 'bench', 'results', 'profile-demo.json');
  const record = {
    name: 'profile-demo',
    node: process.version,
    date: new Date().toISOString(),
    platform: process.platform,
    cpus: availableParallelism(),
    // The load other processes put on the machine while this ran.
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    seconds,
    warmupSeconds,
    concurrency,
    labels: ['as configured', 'sampled 10 %', 'SDK disabled'],
    received,
    runs: summary.runs.map((run) => ({ ...run, profilePath: relative(root, run.profilePath) })),
  };
  writeFileSync(results, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`\nresults: ${results} (node tools/bench-docs.ts puts them in docs/performance.md)`);
}
