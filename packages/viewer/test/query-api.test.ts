import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/index.ts';
import { type Seeded, seed } from './seed.ts';
import { getJson, startTestViewer } from './support.ts';

let viewer: Viewer;
let seeded: Seeded;
const minute = 60_000;

beforeAll(async () => {
  viewer = await startTestViewer();
  seeded = await seed(viewer);
}, 60_000);
afterAll(() => viewer?.close());

interface TracePage {
  traces: { traceId: string; rootName: string; durationMs: number }[];
  total: number;
}
const traces = (query: string) => getJson<TracePage>(viewer, `/api/traces?${query}`);
const ago = (minutes: number) => seeded.now - minutes * minute;
const status = async (path: string) => (await fetch(`${viewer.url}${path}`)).status;

describe('GET /api/traces', () => {
  it('answers the total with each page', async () => {
    const first = await traces('limit=25');
    expect(first.total).toBe(60);
    expect(first.traces).toHaveLength(25);
    expect(first.traces[0]!.traceId).toBe(seeded.traceIds[59]);
    const third = await traces('limit=25&offset=50');
    expect(third.total).toBe(60);
    expect(third.traces.map((t) => t.traceId)).toEqual(seeded.traceIds.slice(0, 10).reverse());
  });

  it('keeps traces that started between since and until', async () => {
    const page = await traces(`since=${ago(10)}&until=${ago(5)}&limit=100`);
    // Trace i starts at 60 - i minutes before now plus a second.
    expect(page.traces.map((t) => t.traceId)).toEqual(seeded.traceIds.slice(50, 55).reverse());
    expect(page.total).toBe(5);
  });

  it('bounds the duration from above', async () => {
    const page = await traces('maxDurationMs=100&limit=100');
    // A request lasts 50 + i ms, or 3,010 ms when it timed out.
    const quick = seeded.traceIds.filter(
      (_, i) => 50 + i <= 100 && !seeded.failed.TimeoutError.includes(i),
    );
    expect(page.traces.map((t) => t.traceId).sort()).toEqual(quick.sort());
    expect(page.traces.every((t) => t.durationMs <= 100)).toBe(true);
    expect((await traces('minDurationMs=3000&maxDurationMs=4000')).total).toBe(15);
  });

  it('matches every attribute condition, on spans or resources', async () => {
    expect((await traces('attr=user.id=u3&limit=100')).total).toBe(12);
    // cloud.region is an attribute of payments' resource only, http.response.status_code=504 of
    // frontend's client span and payments' server span: both hold for the 15 timeouts.
    expect((await traces('attr=cloud.region=eu-west-1&limit=100')).total).toBe(60);
    const both = await traces(
      'attr=cloud.region=eu-west-1&attr=http.response.status_code=504&limit=100',
    );
    expect(both.traces.map((t) => t.traceId).sort()).toEqual(
      seeded.failed.TimeoutError.map((i) => seeded.traceIds[i]).sort(),
    );
    expect((await traces('attr=user.id=u3&attr=user.id=u4')).total).toBe(0);
    expect((await traces('attr=http.route=/callback')).total).toBe(6);
  });

  it('combines attributes with service, operation, errors and time', async () => {
    const page = await traces(
      `service=payments&operation=POST%20/pay&status=error&attr=user.id=u1&since=${ago(60)}&limit=100`,
    );
    const failed = Object.values(seeded.failed).flat();
    const expected = [...new Set(failed)].filter((i) => i % 5 === 1);
    expect(page.traces.map((t) => t.traceId).sort()).toEqual(
      expected.map((i) => seeded.traceIds[i]).sort(),
    );
  });

  it.each([
    'attr=nokey',
    'attr==value',
    'offset=-1',
    'maxDurationMs=soon',
    'since=2000&until=1000',
  ])('answers 400 to %s', async (query) => {
    expect(await status(`/api/traces?${query}`)).toBe(400);
  });
});

describe('GET /api/operations', () => {
  it('lists the span names of a service, or of all', async () => {
    expect(await getJson(viewer, '/api/operations?service=payments')).toEqual({
      operations: ['GET /callback', 'POST /pay', 'SELECT accounts'],
    });
    const all = await getJson<{ operations: string[] }>(viewer, '/api/operations');
    expect(all.operations).toEqual([
      'GET /callback',
      'GET /checkout',
      'POST /pay',
      'SELECT accounts',
      'validate cart',
    ]);
  });
});

interface ErrorList {
  errors: {
    service: string;
    type: string;
    route: string;
    message: string;
    count: number;
    firstSeen: number;
    lastSeen: number;
    chainTypes: string[];
    traceIds: string[];
    sparkline: number[];
  }[];
}

describe('GET /api/errors', () => {
  it('groups errors by service, type, route and normalized message, most frequent first', async () => {
    const { errors } = await getJson<ErrorList>(viewer, '/api/errors');
    expect(
      errors.map(({ service, type, route, message, count, chainTypes }) => ({
        service,
        type,
        route,
        message,
        count,
        chainTypes,
      })),
    ).toEqual([
      {
        service: 'payments',
        type: 'TimeoutError',
        route: '/pay',
        message: 'charge <n> timed out after <n> ms',
        count: 15,
        chainTypes: ['TimeoutError'],
      },
      {
        // Recorded in a span without a route, before its local root had arrived.
        service: 'frontend',
        type: 'ValidationError',
        route: '/checkout',
        message: 'cart <hex> has <n> invalid items',
        count: 10,
        chainTypes: ['ValidationError'],
      },
      {
        service: 'payments',
        type: 'DatabaseError',
        route: '/pay',
        message: 'query failed for account <uuid>',
        count: 6,
        chainTypes: ['DatabaseError', 'ConnectionError'],
      },
    ]);
  });

  it('tells first and last seen, the latest traces and the count over time', async () => {
    const { errors } = await getJson<ErrorList>(viewer, '/api/errors?service=payments');
    const timeouts = errors.find((e) => e.type === 'TimeoutError')!;
    const [first, last] = [seeded.failed.TimeoutError[0]!, seeded.failed.TimeoutError.at(-1)!];
    // A timed-out request ends 3 s after it started, a second into its minute.
    expect(timeouts.firstSeen).toBe(ago(60 - first) + 1000 + 3 + 3000);
    expect(timeouts.lastSeen).toBe(ago(60 - last) + 1000 + 3 + 3000);
    expect(timeouts.traceIds).toEqual(
      seeded.failed.TimeoutError.slice(-5)
        .reverse()
        .map((i) => seeded.traceIds[i]),
    );
    expect(timeouts.sparkline.reduce((a, b) => a + b, 0)).toBe(15);
    expect(timeouts.sparkline.filter((n) => n > 0).length).toBeGreaterThan(5);
    expect(errors.map((e) => e.service)).toEqual(['payments', 'payments']);
  });

  it('counts only what happened in the range', async () => {
    const { errors } = await getJson<ErrorList>(
      viewer,
      `/api/errors?since=${ago(20)}&until=${seeded.now}`,
    );
    const count = (type: keyof Seeded['failed']) =>
      seeded.failed[type].filter((i) => i >= 40).length;
    expect(errors.map((e) => [e.type, e.count])).toEqual([
      ['TimeoutError', count('TimeoutError')],
      ['ValidationError', count('ValidationError')],
      ['DatabaseError', count('DatabaseError')],
    ]);
  });
});

describe('GET /api/dependencies', () => {
  it('counts calls and errors between services, and to the databases they query', async () => {
    expect(await getJson(viewer, '/api/dependencies')).toEqual({
      edges: [
        { parent: 'frontend', child: 'payments', kind: 'service', calls: 60, errors: 15 },
        {
          parent: 'payments',
          child: 'postgresql accounts-db',
          kind: 'database',
          calls: 60,
          errors: 6,
        },
        { parent: 'payments', child: 'frontend', kind: 'service', calls: 6, errors: 0 },
      ],
    });
  });

  it('counts the calls of the range, by the minute', async () => {
    const { edges } = await getJson<{ edges: { calls: number }[] }>(
      viewer,
      `/api/dependencies?since=${ago(30)}&until=${seeded.now - 1}`,
    );
    expect(edges.map((e) => e.calls)).toEqual([30, 30, 3]);
  });
});

interface RedView {
  stepMs: number;
  series: {
    service: string;
    route: string;
    source: string;
    points: {
      t: number;
      rate: number;
      errorRate: number | null;
      p50: number | null;
      p95: number | null;
      p99: number | null;
    }[];
  }[];
}

describe('GET /api/red', () => {
  it('charts a service from its http.server.request.duration histogram', async () => {
    const red = await getJson<RedView>(
      viewer,
      `/api/red?service=frontend&since=${ago(59)}&until=${seeded.now - 1}&stepMs=60000`,
    );
    expect(red.stepMs).toBe(60_000);
    expect(red.series.map((s) => [s.route, s.source])).toEqual([['/checkout', 'metric']]);
    const points = red.series[0]!.points;
    expect(points).toHaveLength(59);
    // Three requests a minute in (10 ms, 50 ms]; every tenth minute one more in (0.5 s, 1 s].
    const quiet = points[1]!;
    expect(quiet.rate).toBeCloseTo(3 / 60);
    expect(quiet.errorRate).toBe(0);
    expect(quiet.p50).toBeCloseTo(30);
    // A point tells what happened up to its time: minute m's point ends step m - 1.
    const failing = points[9]!;
    expect(failing.rate).toBeCloseTo(4 / 60);
    expect(failing.errorRate).toBe(0.25);
    expect(failing.p99).toBeCloseTo(980);
  });

  it('charts a service from its server spans when it sends no such histogram', async () => {
    const red = await getJson<RedView>(
      viewer,
      `/api/red?service=payments&since=${ago(60)}&until=${seeded.now}&stepMs=600000`,
    );
    expect(red.series.map((s) => [s.route, s.source])).toEqual([['/pay', 'spans']]);
    const points = red.series[0]!.points;
    // The last step ends at `until`: its rate is over the part of it in the range.
    const seconds = (t: number) => Math.min(red.stepMs, seeded.now - t) / 1000;
    const requests = points.reduce((sum, p) => sum + p.rate * seconds(p.t), 0);
    expect(requests).toBeCloseTo(60);
    const errors = points.reduce((sum, p) => sum + (p.errorRate ?? 0) * p.rate * seconds(p.t), 0);
    expect(errors).toBeCloseTo(15);
    // A request to payments lasts 40 + i ms, or 3 s when it timed out.
    for (const point of points.filter((p) => p.rate > 0)) {
      expect(point.p50).toBeGreaterThan(40 * 0.95);
      expect(point.p50).toBeLessThan(100 * 1.05);
      if (point.errorRate) expect(point.p99).toBeCloseTo(3000, -2);
    }
  });

  it('keeps to one route, and answers every service without one', async () => {
    const one = await getJson<RedView>(viewer, '/api/red?service=frontend&route=/callback');
    expect(one.series).toEqual([]);
    const all = await getJson<RedView>(viewer, '/api/red');
    expect(all.series.map((s) => [s.service, s.route])).toEqual([
      ['frontend', '/checkout'],
      ['payments', '/pay'],
    ]);
  });
});

interface LogPage {
  logs: {
    body: { stringValue?: string };
    severityText: string;
    traceId: string;
    spanId: string;
    spanName?: string;
    service: string;
  }[];
  total: number;
}
const logs = (query: string) => getJson<LogPage>(viewer, `/api/logs?${query}`);
const bodies = (page: LogPage) => page.logs.map((l) => l.body.stringValue);

describe('GET /api/logs', () => {
  it('lists every record, with or without a trace, newest first, with the total', async () => {
    const page = await logs('limit=5');
    // 60 request records, 15 timeouts, 30 from the background job.
    expect(page.total).toBe(105);
    expect(bodies(page)[0]).toBe('checkout for user u4 took 109 ms');
    const older = await logs('limit=5&offset=100');
    expect(older.logs).toHaveLength(5);
    expect(bodies(older).at(-1)).toMatch(/^checkout for user u0/);
  });

  it('finds words in the body and in attributes', async () => {
    expect((await logs('q=timed%20out')).total).toBe(15);
    expect((await logs('q=job.name%3Djanitor')).total).toBe(30);
    expect(bodies(await logs('q=charge%201057'))).toEqual(['charge 1057 timed out']);
    expect((await logs('q=nothing%20like%20this')).total).toBe(0);
  });

  it('keeps records at or above a severity, by name or number', async () => {
    expect((await logs('severity=WARN')).total).toBe(15 + 15);
    expect((await logs('severity=17')).total).toBe(15);
    expect((await logs('severity=error&q=timed')).total).toBe(15);
    expect((await logs('severity=WARN&service=payments&q=disk')).total).toBe(15);
  });

  it('keeps to a service, a trace and a time range', async () => {
    expect((await logs('service=frontend')).total).toBe(60);
    const trace = await logs(`traceId=${seeded.traceIds[1]}`);
    expect(trace.logs.map((l) => [l.service, l.spanName])).toEqual([
      ['payments', 'POST /pay'],
      ['frontend', 'GET /checkout'],
    ]);
    expect((await logs(`since=${ago(10)}&until=${ago(5)}`)).total).toBe(5 + 3 + 1);
    expect((await logs(`q=checkout&since=${ago(10)}&until=${ago(5)}`)).total).toBe(5);
  });

  it('names the span of a record in a trace', async () => {
    const page = await logs('q=checkout%20for%20user&limit=1');
    expect(page.logs[0]).toMatchObject({
      traceId: seeded.traceIds[59],
      spanId: seeded.rootSpanIds[59],
      spanName: 'GET /checkout',
    });
  });

  it.each(['severity=LOUD', 'severity=30', 'traceId=xyz', 'limit=many'])(
    'answers 400 to %s',
    async (query) => {
      expect(await status(`/api/logs?${query}`)).toBe(400);
    },
  );
});

interface SeriesView {
  type: string;
  kind: string;
  unit: string;
  stepMs: number;
  series: {
    service: string;
    attributes: { key: string }[];
    points: {
      t: number;
      value?: number | null;
      rate?: number | null;
      count?: number | null;
      p50?: number | null;
    }[];
  }[];
}

describe('GET /api/metrics/series', () => {
  const series = (query: string) => getJson<SeriesView>(viewer, `/api/metrics/series?${query}`);
  const range = () => `since=${ago(59)}&until=${seeded.now - 1}&stepMs=600000`;

  it('charts a counter as its rate', async () => {
    const view = await series(`name=payments.charged&${range()}`);
    expect(view).toMatchObject({ type: 'sum', kind: 'rate', unit: '{charge}', stepMs: 600_000 });
    const rates = view.series[0]!.points.map((p) => p.rate);
    // Two charges a minute.
    for (const rate of rates.slice(1, -1)) expect(rate).toBeCloseTo(2 / 60);
  });

  it('charts a gauge as its value', async () => {
    const view = await series(`name=queue.depth&${range()}`);
    expect(view.kind).toBe('value');
    // Minute m of the hour has the value m; each step shows the last at or before its end.
    const minuteAt = (t: number) => (t - ago(59)) / minute;
    const expected = view.series[0]!.points.map((p) => {
      const m = Math.min(58, Math.floor(minuteAt(p.t + view.stepMs)));
      return m >= 0 && minuteAt(p.t) < m ? m : null;
    });
    expect(view.series[0]!.points.map((p) => p.value)).toEqual(expected);
    expect(expected).toContain(58);
  });

  it('charts a histogram as p50, p95, p99 and count', async () => {
    const view = await series(`name=http.server.request.duration&${range()}`);
    expect(view.kind).toBe('distribution');
    const ok = view.series.find((s) =>
      s.attributes.some((a) => a.key === 'http.response.status_code'),
    )!;
    expect(ok.points[1]).toMatchObject({ count: 30 });
    expect(ok.points[1]!.p50).toBeCloseTo(0.03);
    expect(await status('/api/metrics/series?name=no.such.metric')).toBe(404);
    expect(await status('/api/metrics/series')).toBe(400);
  });
});
