// The main job (`npm start`): the viewer, the users service exporting to it, a
// realistic load, and a summary with links into the viewer.
//   --once            exit after the summary (for CI and scripts)
//   --duration=SEC    length of the load (default 20)
//   --port=N          the viewer's port (default 4318, or a free one if taken)
//   --viewer=URL      use an otelkit-viewer (or any OTLP/HTTP endpoint with its API) already running
//   --prometheus      judge the SLOs with a real Prometheus watching the run (when installed)
//   --seed=N          the seed of the request mix and of the flaky mail provider (default 1)
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { startViewer, type Viewer } from 'otelkit-viewer';
import { runLoad } from './load.ts';
import { progressBar } from './progress-bar.ts';
import { startService } from './service-process.ts';
import { startSloRun } from './slo-report.ts';
import { printSummary, summarize } from './summary.ts';
import { viewerClient } from './viewer-client.ts';

const VIEWER_DB = '.otelkit/demo-viewer.db';

const { values: args } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    duration: { type: 'string', default: process.env.DEMO_DURATION_S ?? '20' },
    port: { type: 'string', default: '4318' },
    concurrency: { type: 'string', default: '8' },
    viewer: { type: 'string' },
    prometheus: { type: 'boolean', default: false },
    seed: { type: 'string', default: process.env.DEMO_SEED ?? '1' },
  },
});
const seed = Number(args.seed);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${args.seed}`);
const durationMs = Number(args.duration) * 1000;
if (!(durationMs > 0))
  throw new Error(`--duration must be a positive number of seconds, got ${args.duration}`);

const viewer = args.viewer
  ? { url: args.viewer.replace(/\/+$/, ''), close: async () => {} }
  : await openViewer(Number(args.port));
console.log(`otelkit-viewer listening on ${viewer.url}`);
const sloRun = await startSloRun({ prometheus: args.prometheus });
const service = await startService(viewer.url, { ...sloRun.serviceEnv, DEMO_SEED: String(seed) });
console.log(`users-api serving on ${service.url}, exporting to ${viewer.url}`);

const bar = progressBar('load');
const stats = await runLoad({
  baseUrl: service.url,
  durationMs,
  concurrency: Number(args.concurrency),
  seed,
  onProgress: (fraction, requests) => bar(fraction, `${requests} requests`),
});

await service.drain(5000);
const code = await service.stop();
if (code !== 143 && code !== 0) console.error(`users-api exited with code ${code}`);
// The service flushed before it exited; give the viewer's write queue a moment.
await new Promise((resolve) => setTimeout(resolve, 300));

printSummary(await summarize(stats, viewerClient(viewer.url), viewer.url));
await sloRun.report(viewerClient(viewer.url), durationMs);

if (args.viewer) {
  await viewer.close();
} else if (args.once) {
  await viewer.close();
  console.log(
    `\nThe viewer stopped with this run (seed ${seed}); its links work again after: npx otelkit-viewer --db ${VIEWER_DB}`,
  );
} else {
  console.log('\nThe viewer stays open: press Ctrl-C to stop.');
  process.once('SIGINT', () => {
    void viewer.close().then(() => process.exit(0));
  });
}

/** The viewer on the wanted port, or on a free one when it is taken. */
async function openViewer(port: number): Promise<Viewer> {
  try {
    return await startViewer({ port, db: freshDatabase() });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.log(`port ${port} is taken; the viewer takes a free one`);
    return startViewer({ port: 0, db: freshDatabase() });
  }
}

/** This run's telemetry goes to a file, so the viewer can reopen it after the run. */
function freshDatabase(): string {
  mkdirSync(dirname(VIEWER_DB), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${VIEWER_DB}${suffix}`, { force: true });
  return VIEWER_DB;
}
