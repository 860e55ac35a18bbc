import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeProfiles } from './analyze-profiles.ts';
import type { CallFrame, CpuProfile, ProfileNode } from './cpu-profile.ts';
import { forEachSample, isCpuProfile } from './cpu-profile.ts';
import { GROUPS, TELEMETRY_GROUPS } from './module-group.ts';
import { packageFinder } from './package-of-file.ts';
import { summarize } from './profile-summary.ts';

const installed = (path: string) => pathToFileURL(`/srv/app/node_modules/${path}`).href;
const fn = (functionName: string, url = ''): CallFrame => ({
  functionName,
  url,
  scriptId: '0',
  lineNumber: 0,
  columnNumber: 0,
});

const SERVICE = fn('handler', new URL('test-support/users-app.ts', import.meta.url).href);
const FASTIFY = fn('routeHandler', installed('fastify/lib/route.js'));
const OTELKIT = fn('start', installed('otelkit/dist/http/http-server-telemetry.js'));
const SPAN = fn('startSpan', installed('@opentelemetry/sdk-trace/dist/Tracer.mjs'));
const EXPORT = fn('serialize', installed('@opentelemetry/otlp-transformer/dist/a.mjs'));
const HTTP = fn('end', 'node:_http_outgoing');
// A class of the app's that extends CategorizedError, and the base constructor it runs.
const APP_ERROR = fn('ApiError', new URL('test-support/users-app.ts', import.meta.url).href);
const CATEGORIZED = fn('CategorizedError', installed('otelkit/dist/errors/categorized-error.js'));
const RETRY = fn('retry', installed('otelkit/dist/resilience/retry.js'));
const RETRY_ERROR = fn('RetryError', installed('otelkit/dist/resilience/retry-error.js'));
const STREAM = fn('write', 'node:internal/streams/writable');
const TICKS = fn('processTicksAndRejections', 'node:internal/process/task_queues');
const NATIVE = fn('writeUtf8String');
const GC = fn('(garbage collector)');
const IDLE = fn('(idle)');
const PROGRAM = fn('(program)');

/** A profile whose samples have the given stacks (outermost frame first) and durations. */
function profileOf(samples: Array<{ stack: CallFrame[]; micros: number }>): CpuProfile {
  const nodes: ProfileNode[] = [{ id: 1, callFrame: fn('(root)'), children: [] }];
  const ids: number[] = [];
  for (const { stack } of samples) {
    let parent = nodes[0]!;
    for (const frame of stack) {
      let child = parent.children!.map((id) => nodes[id - 1]!).find((n) => n.callFrame === frame);
      if (child === undefined) {
        child = { id: nodes.length + 1, callFrame: frame, children: [] };
        nodes.push(child);
        parent.children!.push(child.id);
      }
      parent = child;
    }
    ids.push(parent.id);
  }
  // Each sample lasts until the next; the last until endTime.
  const timeDeltas = [0, ...samples.slice(0, -1).map((s) => s.micros)];
  const endTime = samples.reduce((sum, s) => sum + s.micros, 0);
  return { nodes, startTime: 0, endTime, samples: ids, timeDeltas };
}

const analyze = (...profiles: CpuProfile[]) => analyzeProfiles(profiles, packageFinder());

describe('analyzeProfiles', () => {
  it('counts each sample until the next one, and the last until the end of the profile', () => {
    const profile = profileOf([
      { stack: [SERVICE], micros: 300 },
      { stack: [FASTIFY], micros: 100 },
      { stack: [SERVICE], micros: 50 },
    ]);
    expect(isCpuProfile(profile)).toBe(true);
    const seen: number[] = [];
    forEachSample(profile, (_, micros) => seen.push(micros));
    expect(seen).toEqual([300, 100, 50]);
  });

  it("charges the app's errors to the app, even when their class extends otelkit's", () => {
    const { groupMicros } = analyze(
      profileOf([
        // `new ApiError()`: the base constructor and the stack trace it captures.
        { stack: [SERVICE, APP_ERROR, CATEGORIZED, NATIVE], micros: 700 },
        { stack: [SERVICE, APP_ERROR, CATEGORIZED], micros: 100 },
        // `new CategorizedError()` straight from the app.
        { stack: [SERVICE, CATEGORIZED, NATIVE], micros: 50 },
        // An error otelkit builds itself is otelkit's.
        { stack: [SERVICE, RETRY, RETRY_ERROR, NATIVE], micros: 30 },
      ]),
    );
    expect(groupMicros.get('service')).toBe(850);
    expect(groupMicros.get('otelkit')).toBe(30);
  });

  it('charges native code to the module that called it', () => {
    const { groupMicros } = analyze(
      profileOf([
        { stack: [SERVICE, OTELKIT, NATIVE], micros: 400 },
        { stack: [SERVICE, EXPORT, NATIVE], micros: 100 },
      ]),
    );
    expect(groupMicros.get('otelkit')).toBe(400);
    expect(groupMicros.get('export')).toBe(100);
  });

  it("charges Node's stream internals to whoever wrote: HTTP under a response, the service under its own code", () => {
    const { groupMicros } = analyze(
      profileOf([
        { stack: [TICKS, HTTP, STREAM, NATIVE], micros: 200 },
        { stack: [SERVICE, STREAM], micros: 50 },
      ]),
    );
    expect(groupMicros.get("Node's HTTP and networking")).toBe(200);
    expect(groupMicros.get('service')).toBe(50);
  });

  it('counts frames with no placed caller as other, and says which of them no module was found for', () => {
    const { groupMicros, otherMicros } = analyze(
      profileOf([
        { stack: [NATIVE], micros: 30 },
        { stack: [TICKS], micros: 70 },
        { stack: [SERVICE], micros: 100 },
      ]),
    );
    expect(groupMicros.get('other')).toBe(100);
    expect(otherMicros.get('unplaced')).toBe(30);
    expect(otherMicros.get('Node.js internals')).toBe(70);
  });

  it('leaves idle and (program) out of busy CPU, and counts GC in it', () => {
    const analysis = analyze(
      profileOf([
        { stack: [IDLE], micros: 5000 },
        { stack: [PROGRAM], micros: 300 },
        { stack: [GC], micros: 100 },
        { stack: [SERVICE], micros: 100 },
      ]),
    );
    expect(analysis.busyMicros).toBe(200);
    expect(analysis.idleMicros).toBe(5000);
    expect(analysis.programMicros).toBe(300);
    const summary = summarize(analysis, {
      requests: 10,
      seconds: 1,
      cpuMicros: 400,
      profilePath: 'p',
    });
    expect(summary.groups.find((g) => g.group === 'GC')?.percent).toBe(50);
    // CPU per request is the CPU time the processes measured, not the sampled time.
    expect(summary.cpuMicrosPerRequest).toBe(40);
    expect(summary.requestsPerSecond).toBe(10);
  });

  it('adds the threads of several profiles together', () => {
    const analysis = analyze(
      profileOf([{ stack: [SERVICE], micros: 300 }]),
      profileOf([{ stack: [EXPORT], micros: 100 }]),
    );
    expect(analysis.threads).toBe(2);
    expect(analysis.busyMicros).toBe(400);
    const summary = summarize(analysis, {
      requests: 4,
      seconds: 1,
      cpuMicros: 400,
      profilePath: 'p',
    });
    expect(summary.telemetryPercent).toBe(25);
  });

  it('lists functions by self time, each with the group its time was charged to', () => {
    const analysis = analyze(
      profileOf([
        { stack: [SERVICE, SPAN], micros: 100 },
        { stack: [SERVICE, OTELKIT, NATIVE], micros: 300 },
        { stack: [SERVICE], micros: 200 },
      ]),
    );
    const { top } = summarize(analysis, {
      requests: 1,
      seconds: 1,
      cpuMicros: 1,
      profilePath: 'p',
    });
    expect(top.map((t) => [t.function, t.group, t.selfPercent])).toEqual([
      ['writeUtf8String', 'otelkit', 50],
      ['handler', 'service', 33.33],
      ['startSpan', 'SDK spans', 16.67],
    ]);
  });

  it('summarizes any profile into groups that add up to exactly 100, telemetry being the sum of its own', () => {
    const frames = [SERVICE, FASTIFY, OTELKIT, SPAN, EXPORT, HTTP, STREAM, TICKS, NATIVE, GC];
    const sample = fc.record({
      stack: fc.array(fc.constantFrom(...frames), { minLength: 1, maxLength: 5 }),
      micros: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 40 }), (samples) => {
        const analysis = analyze(profileOf(samples));
        const summary = summarize(analysis, {
          requests: 1,
          seconds: 1,
          cpuMicros: 1,
          profilePath: 'p',
        });
        expect(summary.groups.map((g) => g.group)).toEqual([...GROUPS]);
        const total = summary.groups.reduce((sum, g) => sum + g.percent, 0);
        if (analysis.busyMicros === 0) expect(total).toBe(0);
        else expect(total).toBeCloseTo(100, 9);
        const telemetry = summary.groups
          .filter((g) => TELEMETRY_GROUPS.has(g.group as (typeof GROUPS)[number]))
          .reduce((sum, g) => sum + g.percent, 0);
        expect(Math.abs(summary.telemetryPercent - telemetry)).toBeLessThanOrEqual(0.05);
      }),
      { seed: 20_241_117, numRuns: 200 },
    );
  });
});
