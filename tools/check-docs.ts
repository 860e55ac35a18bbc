// Type-checks every ```ts block of README.md and docs/**/*.md, so examples in
// prose cannot rot. Each block must be a complete module (imports included).
// A block fenced as ```ts ignore is shown but not checked.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = join(root, '.otelkit', 'docs-check');
const docs = [
  'README.md',
  ...(existsSync(join(root, 'docs'))
    ? readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .map((f) => join('docs', f))
    : []),
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files: string[] = [];
for (const doc of docs) {
  const text = readFileSync(join(root, doc), 'utf8');
  let n = 0;
  for (const match of text.matchAll(/^```(ts|typescript)([^\n]*)\n([\s\S]*?)^```/gm)) {
    n++;
    if (match[2]!.includes('ignore')) continue;
    const line = text.slice(0, match.index).split('\n').length + 1;
    const name = `${doc.replace(/[^\w]+/g, '_')}_${n}.ts`;
    writeFileSync(join(out, name), `// ${doc}:${line}\n${match[3]}\nexport {};\n`);
    files.push(name);
  }
}
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: '../../tsconfig.base.json',
    compilerOptions: {
      noEmit: true,
      declaration: false,
      declarationMap: false,
      customConditions: ['otelkit-source'],
      noUnusedLocals: false,
    },
    files,
  }),
);
const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', out],
  {
    encoding: 'utf8',
  },
);
if (tsc.status !== 0) {
  console.error(
    `docs check failed: TypeScript blocks in the docs do not type-check\n${tsc.stdout}${tsc.stderr}`,
  );
  console.error(
    `(blocks are extracted to ${relative(root, out)}; the first line of each names its source)`,
  );
  process.exit(1);
}
console.log(`docs check passed: ${files.length} TypeScript blocks in ${docs.length} documents`);
