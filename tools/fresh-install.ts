// A fresh app that installs otelkit as a user does: `npm pack` of packages/otelkit (its
// prepack builds it), then `npm install @opentelemetry/api <tarball>` in an empty folder.
// Used by the packed-install test and the startup benchmark.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const library = resolve(import.meta.dirname, '..', 'packages', 'otelkit');

/** The app after the install, and what the install weighs. */
export interface FreshInstall {
  /** The app's folder, with its package.json, lockfile and node_modules. */
  readonly app: string;
  readonly tarball: string;
  /** Packages npm installed (the lockfile's entries), otelkit and the API included. */
  readonly packages: number;
  /** Disk space of node_modules, in MiB (as `du -sm` counts it). */
  readonly megabytes: number;
  /** Each installed package with its version, by path in node_modules. */
  readonly installed: ReadonlyMap<string, string>;
}

/**
 * Packs otelkit into `dir` and installs it with `@opentelemetry/api` into
 * `dir/app`. Packages come from npm's cache when it has them (`--prefer-offline`).
 */
export function freshInstall(dir: string): FreshInstall {
  const packed = npm(['pack', '--json', '--pack-destination', dir], library);
  const tarball = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
  const app = join(dir, 'app');
  mkdirSync(app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }, null, 2)}\n`,
  );
  npm(
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '@opentelemetry/api', tarball],
    app,
  );
  const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const installed = new Map(
    Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .map(([path, entry]) => [path, entry.version ?? '']),
  );
  return {
    app,
    tarball,
    packages: installed.size,
    megabytes: Math.round(diskBytes(join(app, 'node_modules')) / 2 ** 20),
    installed,
  };
}

/** Runs npm (the one running this script when npm started it) in `cwd`; throws on failure. */
export function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const cli = process.env.npm_execpath;
  const [command, prefix] =
    cli?.endsWith('.js') === true ? [process.execPath, [cli]] : ['npm', [] as string[]];
  const run = spawnSync(command, [...prefix, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (run.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed (${run.status}):\n${run.stderr}${run.stdout}`);
  }
  return run;
}

/** Bytes of disk blocks under `dir`, as `du` counts them. */
function diskBytes(dir: string): number {
  let bytes = lstatSync(dir).blocks * 512;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    bytes += entry.isDirectory() ? diskBytes(path) : lstatSync(path).blocks * 512;
  }
  return bytes;
}
