import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../tools/bench-docs.ts';

const root = join(import.meta.dirname, '..');

// The docs whose benchmark figures must all come from bench/results; in the
// strict ones (all prose about performance) any decimal in prose is suspect.
const DOCS = ['README.md', 'docs/index.md', 'docs/production.md', 'docs/guides/setup.md'];
const STRICT = [
  'docs/performance.md',
  'docs/guides/context-and-cancellation.md',
  'docs/guides/http-and-logs.md',
  'docs/guides/resilience.md',
  'docs/guides/tracing-and-errors.md',
];

// What a measured figure looks like in prose: a ratio, a time per operation, a rate.
const FIGURE = /\d(?:[.,]\d+)?\s?(?:×|ns\b|µs\b|req\/s|requests\/s|spans\/s)/;
// And, in the strict docs, a decimal, a number with thousands separators or a percentage.
const NUMBER = /\b\d+\.\d+\b|\b\d{1,3},\d{3}\b|\d\s?%/;

// The reference-service section of performance.md describes its profiling
// setup (a sampling rate among it); its figures are a generated block of their own.
const NOT_STRICT_FROM = '\n## What telemetry costs in the reference service';

/** The prose of a doc: without generated blocks, code, URLs, IP addresses and Node versions. */
function prose(file: string, strict: boolean): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const cut = strict ? text.indexOf(NOT_STRICT_FROM) : -1;
  return (cut === -1 ? text : text.slice(0, cut))
    .replace(/<!-- bench:([\w-]+) -->\n[\s\S]*?<!-- \/bench:\1 -->/g, '')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\b\d+\.\d+\.\d+\.\d+\b/g, '')
    .replace(/\bNode(?:\.js)? v?\d+(?:\.\d+)*/g, '')
    .split('\n');
}

describe('benchmark figures in the docs', () => {
  it('are what bench/tables renders from the committed bench/results', async () => {
    const documents = await render();
    expect(documents.size).toBeGreaterThan(0);
    for (const [file, { before, after }] of documents) {
      expect(before, `${file} differs from bench/results: run node tools/bench-docs.ts`).toBe(
        after,
      );
    }
  });

  it('appear only inside generated blocks', () => {
    for (const file of [...DOCS, ...STRICT]) {
      const strict = STRICT.includes(file);
      const typed = prose(file, strict).filter(
        (line) => FIGURE.test(line) || (strict && NUMBER.test(line)),
      );
      expect(typed, `${file} has a hand-typed benchmark figure`).toEqual([]);
    }
  });
});
