import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Refusal, RefusalReporter } from './refusal-reporter.ts';

afterEach(() => {
  vi.useRealTimers();
});

const refusal = (overrides: Partial<Refusal> = {}): Refusal => ({
  kind: '413 traces',
  count: 1,
  noun: '/v1/traces request',
  peer: '10.0.0.7 (OTel-OTLP-Exporter-JavaScript/0.301.0)',
  example: '413 the body exceeds 20971520 bytes after decompression',
  ...overrides,
});

describe('RefusalReporter', () => {
  it('prints the first refusal of a kind at once, with what, how many and from whom', () => {
    const lines: string[] = [];
    const reporter = new RefusalReporter((line) => lines.push(line));
    reporter.report(refusal());
    reporter.report(
      refusal({
        kind: 'span: an invalid id',
        count: 3,
        noun: 'span',
        example: 'span "x": invalid',
      }),
    );
    expect(lines).toEqual([
      'refused 1 /v1/traces request from 10.0.0.7 (OTel-OTLP-Exporter-JavaScript/0.301.0): 413 the body exceeds 20971520 bytes after decompression',
      'refused 3 spans from 10.0.0.7 (OTel-OTLP-Exporter-JavaScript/0.301.0): span "x": invalid',
    ]);
    reporter.close();
  });

  it('sums up further refusals of a kind in one line per window, naming their senders', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const reporter = new RefusalReporter((line) => lines.push(line), 10_000);
    reporter.report(refusal());
    for (let i = 0; i < 250; i++) reporter.report(refusal({ peer: `10.0.0.${i % 5}` }));
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    expect(lines[1]).toBe(
      'refused 250 /v1/traces requests more in the last 10 s (413 traces) from 10.0.0.0, 10.0.0.1, 10.0.0.2 and 2 more',
    );
    // While they go on, one line a window; once they stop, nothing more.
    reporter.report(refusal());
    vi.advanceTimersByTime(10_000);
    vi.advanceTimersByTime(30_000);
    expect(lines).toHaveLength(3);
    // A kind that returns after a quiet window is printed at once again.
    reporter.report(refusal());
    expect(lines).toHaveLength(4);
    reporter.close();
  });
});
