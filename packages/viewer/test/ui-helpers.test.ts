import { describe, expect, it } from 'vitest';
import type { Span } from '../src/ui/app/api-client.ts';
import { chartScale } from '../src/ui/app/chart-scale.ts';
import { plural, severityName } from '../src/ui/app/format.ts';
import { placeSpans } from '../src/ui/app/span-tree.ts';

// The page's helpers that touch no DOM, run under Node.

describe('plural', () => {
  it('writes one thing in the singular and the others in the plural', () => {
    expect(plural(1, 'attribute')).toBe('1 attribute');
    expect(plural(0, 'attribute')).toBe('0 attributes');
    expect(plural(1204, 'span')).toBe('1,204 spans');
    expect(plural(2, 'child', 'children')).toBe('2 children');
  });
});

describe('severityName', () => {
  it('names severity numbers as OpenTelemetry does', () => {
    expect([1, 5, 9, 13, 14, 17, 24].map(severityName)).toEqual([
      'TRACE',
      'DEBUG',
      'INFO',
      'WARN',
      'WARN2',
      'ERROR',
      'FATAL4',
    ]);
    expect([0, 25, 1.5].map(severityName)).toEqual(['', '', '']);
  });
});

describe('chartScale', () => {
  it('runs from zero to a round maximum in round steps', () => {
    expect(chartScale([3, 87])).toEqual({ min: 0, max: 100, ticks: [0, 25, 50, 75, 100] });
  });

  it('reaches below zero for negative values', () => {
    expect(chartScale([-18, -10]).ticks).toEqual([-20, -15, -10, -5, 0]);
    expect(chartScale([-76, 40])).toMatchObject({ min: -100, max: 50 });
  });

  it('has a range when every value is zero', () => {
    expect(chartScale([0, 0]).max).toBeGreaterThan(0);
  });
});

describe('placeSpans', () => {
  const span = (spanId: string, parentSpanId: string, start: number): Span => ({
    traceId: 'a'.repeat(32),
    spanId,
    parentSpanId,
    name: spanId,
    kind: 1,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 1),
    status: { code: 0, message: '' },
    attributes: [],
    events: [],
    links: [],
    service: 's',
    resource: {},
    scope: {},
  });

  it('places every span once, whatever its parents say', () => {
    const placed = placeSpans([
      span('root', '', 0),
      span('child', 'root', 1),
      span('ping', 'pong', 2),
      span('pong', 'ping', 3),
      span('self', 'self', 4),
      span('lost', 'nowhere', 5),
      span('child', 'root', 6),
    ]);
    expect(
      placed.map((p) => [
        p.span.name,
        p.depth,
        Object.entries(p.flags)
          .filter(([, on]) => on)
          .map(([flag]) => flag),
      ]),
    ).toEqual([
      ['root', 0, []],
      ['child', 1, []],
      ['child', 1, ['duplicate']],
      ['self', 0, ['selfParent']],
      ['lost', 0, ['orphan']],
      ['ping', 0, ['cycle']],
      ['pong', 1, []],
    ]);
  });

  it('walks a chain 20,000 spans deep without exhausting the stack', () => {
    const spans = Array.from({ length: 20_000 }, (_, i) => span(`s${i}`, i ? `s${i - 1}` : '', i));
    const placed = placeSpans(spans);
    expect(placed.at(-1)).toMatchObject({ depth: 19_999, parent: 19_998 });
  });
});
