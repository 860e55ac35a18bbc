// Package-metadata guard run by `npm test`: what users install must resolve.
// - @opentelemetry/api is a peer dependency only (one copy per app);
// - every subpath in `exports` points at a built file and its type declarations;
// - the core entry never reaches an optional peer (a framework or logger);
// - the core entry of otelkit reaches only the API (and semantic-convention names), never the SDK;
// - publint finds no error or warning;
// - package-lock.json says what every package.json of the workspace says (dependencies and
//   engines), so that `npm ci` installs it and a fresh clone's `npm install` leaves it as it is.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = resolve(import.meta.dirname, '..');
// The published packages: those with a version that are not private.
const packages = ['packages/otelkit', 'packages/viewer'].filter((dir) => {
  const file = join(root, dir, 'package.json');
  if (!existsSync(file)) return false;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  return pkg.version !== undefined && pkg.private !== true;
});
const problems: string[] = [];
// What `import 'otelkit'` may load: a library can depend on the helpers without pulling the SDK.
const CORE_IMPORTS = ['@opentelemetry/api', '@opentelemetry/semantic-conventions'];

for (const dir of packages) {
  const pkgDir = join(root, dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const where = `${dir}/package.json`;
  if (pkg.dependencies?.['@opentelemetry/api']) {
    problems.push(`${where}: @opentelemetry/api must be a peerDependency, not a dependency`);
  }
  if (dir === 'packages/otelkit' && !pkg.peerDependencies?.['@opentelemetry/api']) {
    problems.push(`${where}: @opentelemetry/api must be listed in peerDependencies`);
  }
  for (const [subpath, target] of Object.entries<Record<string, string> | string>(
    pkg.exports ?? {},
  )) {
    if (typeof target === 'string') continue;
    for (const condition of ['types', 'default']) {
      const file = target[condition];
      if (!file) problems.push(`${where}: exports["${subpath}"] has no "${condition}"`);
      else if (!existsSync(join(pkgDir, file))) {
        problems.push(
          `${where}: exports["${subpath}"].${condition} → ${file} does not exist (built?)`,
        );
      }
    }
  }
  const optionalPeers = Object.keys(pkg.peerDependenciesMeta ?? {}).filter(
    (name) => pkg.peerDependenciesMeta[name].optional,
  );
  const main = pkg.exports?.['.']?.default;
  if (main && optionalPeers.length > 0 && existsSync(join(pkgDir, main))) {
    for (const [file, specifier] of importsOf(join(pkgDir, main))) {
      if (optionalPeers.some((peer) => specifier === peer || specifier.startsWith(`${peer}/`))) {
        problems.push(`${dir}: the core entry imports optional peer "${specifier}" (in ${file})`);
      }
    }
  }
  if (dir === 'packages/otelkit' && main && existsSync(join(pkgDir, main))) {
    for (const [file, specifier] of importsOf(join(pkgDir, main))) {
      if (!CORE_IMPORTS.some((allowed) => specifier === allowed || specifier.startsWith('node:'))) {
        problems.push(
          `${dir}: the core entry must import only ${CORE_IMPORTS.join(' and ')}, but imports "${specifier}" (in ${file})`,
        );
      }
    }
  }
  const { messages } = await publint({ pkgDir, level: 'warning', pack: 'npm' });
  for (const message of messages) {
    problems.push(
      `${dir}: publint ${message.type}: ${formatMessage(message, pkg) ?? message.code}`,
    );
  }
}

/** The fields of each workspace package.json that its entry in package-lock.json repeats. */
const LOCKED_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'optionalDependencies',
  'engines',
] as const;
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const dir of ['', ...(rootPkg.workspaces as string[])]) {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const locked = lock.packages?.[dir];
  if (locked === undefined) {
    problems.push(`package-lock.json has no entry for "${dir || '(root)'}": run npm install`);
    continue;
  }
  for (const field of LOCKED_FIELDS) {
    if (JSON.stringify(sorted(pkg[field])) !== JSON.stringify(sorted(locked[field]))) {
      problems.push(
        `package-lock.json is out of date: ${field} of ${dir || 'the root'} differs from ${join(dir, 'package.json')} (run npm install and commit the lockfile)`,
      );
    }
  }
}

function sorted(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, sorted(v)]),
  );
}

/** Every bare import reachable from `entry` through relative imports of built files. */
function importsOf(entry: string): [string, string][] {
  const seen = new Set<string>();
  const found: [string, string][] = [];
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:from\s*|import\s*\(?\s*)['"]([^'"]+)['"]/g)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else found.push([file.slice(root.length + 1), specifier]);
    }
  };
  visit(entry);
  return found;
}

if (problems.length > 0) {
  console.error(`package check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`package check passed: ${packages.join(', ')}`);
