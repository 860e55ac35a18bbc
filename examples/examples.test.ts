import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedOutput, runExample } from './run-example.ts';

const root = import.meta.dirname;
const examples = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('node_modules'))
  .filter((f) => f !== 'run-example.ts' && !f.startsWith('lib/'))
  .sort();

describe('examples', () => {
  it.each(examples)('%s runs to completion', async (file) => {
    const path = join(root, file);
    const run = await runExample(path, { OTEL_EXPORTER_OTLP_ENDPOINT: '' });
    expect(run.stderr).not.toMatch(/Error|Unhandled/);
    expect(run.code, run.stderr).toBe(0);
    for (const text of expectedOutput(path)) expect(run.stdout).toContain(text);
  });
});
