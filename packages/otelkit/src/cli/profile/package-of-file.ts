import { readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** The package a source file belongs to. */
export interface PackageOfFile {
  name: string;
  /** The package's folder. */
  root: string;
  /** Whether it was installed under `node_modules` (a dependency, not a workspace). */
  installed: boolean;
}

/** Finds the package of an absolute file path; `undefined` when no `package.json` names one. */
export type FindPackage = (path: string) => PackageOfFile | undefined;

const NODE_MODULES = `${sep}node_modules${sep}`;

/**
 * A package finder: under `node_modules` the name comes from the path; anywhere
 * else (the service, or a workspace symlink that Node resolved to its real
 * folder) from the nearest `package.json` that has a name. Lookups are cached
 * per folder, so each `package.json` is read once.
 */
export function packageFinder(): FindPackage {
  const byFolder = new Map<string, PackageOfFile | undefined>();
  const nearest = (folder: string): PackageOfFile | undefined => {
    if (byFolder.has(folder)) return byFolder.get(folder);
    let found: PackageOfFile | undefined;
    const name = packageName(join(folder, 'package.json'));
    if (name !== undefined) found = { name, root: folder, installed: false };
    else if (dirname(folder) !== folder) found = nearest(dirname(folder));
    byFolder.set(folder, found);
    return found;
  };
  return (path) => {
    const at = path.lastIndexOf(NODE_MODULES);
    if (at === -1) return nearest(dirname(path));
    const start = at + NODE_MODULES.length;
    const parts = path.slice(start).split(sep);
    const name = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    if (!name) return undefined;
    return { name, root: path.slice(0, start) + name.replace('/', sep), installed: true };
  };
}

function packageName(file: string): string | undefined {
  try {
    const { name } = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown };
    // Nested `{"type": "module"}` markers have no name: keep looking upwards.
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}
