import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import ts from 'typescript';

export interface ExampleRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The library's sources, with type stripping where Node does not strip by default yet (before 22.18). */
const SOURCE_FLAGS = process.features.typescript
  ? ['--conditions=otelkit-source']
  : [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      '--conditions=otelkit-source',
    ];

const DECORATOR = /^\s*@[A-Za-z_$][\w$]*(\(|\s*$)/m;

/**
 * Runs one example file the way a user would, with Node and the library's
 * sources. Files with TC39 decorators, which Node cannot strip yet, are lowered
 * with TypeScript into a sibling temporary file first.
 */
export async function runExample(
  file: string,
  env: Record<string, string> = {},
  timeoutMs = 15_000,
): Promise<ExampleRun> {
  let entry = file;
  const source = readFileSync(file, 'utf8');
  if (DECORATOR.test(source)) {
    entry = file.replace(/\.ts$/, '.lowered.tmp.mjs');
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    });
    writeFileSync(entry, outputText);
  }
  try {
    const child = spawn(process.execPath, [...SOURCE_FLAGS, entry], {
      env: { ...process.env, ...env },
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, stdout, stderr };
  } finally {
    if (entry !== file) rmSync(entry, { force: true });
  }
}

/** The `// expect-output: text` lines of an example: text its output must contain. */
export function expectedOutput(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\/\/ expect-output: (.+)$/gm)].map((m) => m[1]!);
}

/** The `// expect-stderr: text` lines of an example: what it prints as errors on purpose. */
export function expectedStderr(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\/\/ expect-stderr: (.+)$/gm)].map((m) => m[1]!);
}

/** The `// expect-span: name` lines of an example: spans its run must export. */
export function expectedSpans(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\/\/ expect-span: (.+)$/gm)].map((m) => m[1]!);
}
