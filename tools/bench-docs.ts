// Keeps every benchmark figure in the docs equal to bench/results/*.json.
//
// A doc holds a generated block between two markers:
//   <!-- bench:ID -->
//   …generated markdown…
//   <!-- /bench:ID -->
// and `bench/tables/ID.ts` renders it: its default export takes a loader of
// results files (by name, without `.json`) and returns the markdown.
//
//   node tools/bench-docs.ts          rewrites the blocks (run by `npm run bench`)
//   node tools/bench-docs.ts --check  exits 1 when a block differs (run by the tests)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Reads `bench/results/<name>.json`. */
export type LoadResults = (name: string) => unknown;

/** A table renderer: `bench/tables/<id>.ts`'s default export. */
export type RenderTable = (load: LoadResults) => string;

const root = resolve(import.meta.dirname, '..');
const block = /<!-- bench:([\w-]+) -->\n[\s\S]*?<!-- \/bench:\1 -->/g;

/** The markdown files that may hold generated blocks. */
export function documents(): string[] {
  const files = ['README.md', 'CONTRIBUTING.md'];
  const walk = (dir: string) => {
    if (!existsSync(join(root, dir))) return;
    for (const entry of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
      if (entry.endsWith('.md') && !entry.includes('node_modules')) files.push(join(dir, entry));
    }
  };
  walk('docs');
  for (const dir of ['packages', 'apps']) {
    if (!existsSync(join(root, dir))) continue;
    for (const name of readdirSync(join(root, dir))) files.push(join(dir, name, 'README.md'));
  }
  return files.filter((file) => existsSync(join(root, file)));
}

const load: LoadResults = (name) => {
  const file = join(root, 'bench', 'results', `${name}.json`);
  if (!existsSync(file)) throw new Error(`bench/results/${name}.json does not exist`);
  return JSON.parse(readFileSync(file, 'utf8'));
};

/** Each document's text with its blocks rendered from the results. */
export async function render(): Promise<Map<string, { before: string; after: string }>> {
  const out = new Map<string, { before: string; after: string }>();
  for (const file of documents()) {
    const before = readFileSync(join(root, file), 'utf8');
    const ids = [...before.matchAll(block)].map((m) => m[1]!);
    if (ids.length === 0) continue;
    const tables = new Map<string, string>();
    for (const id of ids) {
      const renderer = join(root, 'bench', 'tables', `${id}.ts`);
      if (!existsSync(renderer)) throw new Error(`${file}: no renderer bench/tables/${id}.ts`);
      const { default: renderTable } = (await import(pathToFileURL(renderer).href)) as {
        default: RenderTable;
      };
      tables.set(id, renderTable(load).trim());
    }
    const after = before.replace(
      block,
      (_, id: string) => `<!-- bench:${id} -->\n${tables.get(id)}\n<!-- /bench:${id} -->`,
    );
    out.set(file, { before, after });
  }
  return out;
}

if (import.meta.main) {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [file, { before, after }] of await render()) {
    if (before === after) continue;
    if (check) stale.push(relative(root, join(root, file)));
    else writeFileSync(join(root, file), after);
  }
  if (check && stale.length > 0) {
    console.error(
      `benchmark figures differ from bench/results in: ${stale.join(', ')}\n` +
        'run `node tools/bench-docs.ts` (or `npm run bench`) to regenerate them',
    );
    process.exit(1);
  }
  if (!check) console.log('bench docs: generated blocks are up to date');
}
