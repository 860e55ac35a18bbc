import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OtlpTraceSink,
  startOtlpTraceSink,
} from '../packages/otelkit/src/test-support/otlp-trace-sink.ts';
import { expectedOutput, expectedSpans, expectedStderr, runExample } from './run-example.ts';

const root = import.meta.dirname;
const examples = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('node_modules'))
  .filter((f) => f !== 'run-example.ts' && !f.startsWith('lib/'))
  .sort();

describe('examples', () => {
  // Every example exports to a real OTLP endpoint, as it would to a viewer or collector.
  let sink: OtlpTraceSink;
  beforeAll(async () => {
    sink = await startOtlpTraceSink();
  });
  afterAll(() => sink.close());

  it.each(examples)('%s runs to completion', async (file) => {
    const path = join(root, file);
    sink.spans.length = 0;
    const run = await runExample(path, { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url });
    // An example that shows an error printed (a framework's own error line) says so.
    const printed = expectedStderr(path);
    for (const text of printed) expect(run.stderr).toContain(text);
    if (printed.length === 0) expect(run.stderr).not.toMatch(/Error|Unhandled/);
    else expect(run.stderr).not.toMatch(/Unhandled/);
    expect(run.code, run.stderr).toBe(0);
    for (const text of expectedOutput(path)) expect(run.stdout).toContain(text);
    const exported = sink.spans.map((span) => span.name);
    for (const name of expectedSpans(path)) expect(exported).toContain(name);
  });

  it("the README's first example is examples/twenty-lines.ts, line for line", () => {
    const readme = readFileSync(join(root, '..', 'README.md'), 'utf8');
    const block = /## Twenty lines[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const code = readFileSync(join(root, 'twenty-lines.ts'), 'utf8').replace(/^(\/\/.*\n)+/, '');
    expect(block).toBe(code);
  });
});
