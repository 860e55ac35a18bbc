import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricView, SpanView, Viewer } from '../src/index.ts';
import { loadOtlpSchema } from '../src/receiver/otlp-schema.ts';
import { jsonSpan, jsonTraceRequest, recentNs, traceIdHex } from './otlp-requests.ts';
import { getJson, send, startTestViewer } from './support.ts';

// What producers written elsewhere send: the OTLP/JSON encoders of other languages write
// non-finite doubles as strings and may write int64 fields as bare JSON numbers; protobuf
// carries non-finite doubles natively.

let viewer: Viewer;
beforeEach(async () => {
  viewer = await startTestViewer();
});
afterEach(() => viewer.close());

const json = { 'Content-Type': 'application/json' };
const postJson = (path: string, body: string) =>
  send(`${viewer.url}${path}`, { headers: json, body });
const time = {
  startTimeUnixNano: String(recentNs - 60_000_000_000n),
  timeUnixNano: String(recentNs),
};
// Times with every digit significant: beyond 2^53, a double would round them.
const start = String(recentNs + 1n);
const end = String(recentNs + 123_456_789n);

function metricsRequest(metrics: unknown[]) {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'sensor' } }] },
        scopeMetrics: [{ scope: { name: 'probe' }, metrics }],
      },
    ],
  };
}

const nonFinite = (a: string, b: string, c: string) => [
  { name: 'temperature', gauge: { dataPoints: [{ ...time, asDouble: a }] } },
  { name: 'drift', sum: { aggregationTemporality: 2, dataPoints: [{ ...time, asDouble: b }] } },
  {
    name: 'latency',
    histogram: {
      aggregationTemporality: 2,
      dataPoints: [
        {
          ...time,
          count: '2',
          sum: a,
          min: c,
          max: b,
          bucketCounts: ['1', '1'],
          explicitBounds: [1],
          exemplars: [
            {
              timeUnixNano: time.timeUnixNano,
              asDouble: c,
              traceId: traceIdHex,
              spanId: 'eee19b7ec3c1b174',
            },
          ],
        },
      ],
    },
  },
];

async function latest(name: string) {
  const { metrics } = await getJson<{ metrics: MetricView[] }>(viewer, `/api/metrics?name=${name}`);
  return metrics[0]!.points[0]!;
}

async function expectServedAsOtlpJson() {
  expect((await latest('temperature')).asDouble).toBe('NaN');
  expect((await latest('drift')).asDouble).toBe('Infinity');
  const histogram = await latest('latency');
  expect(histogram).toMatchObject({ sum: 'NaN', min: '-Infinity', max: 'Infinity' });
  expect((histogram.exemplars as { asDouble: unknown }[])[0]!.asDouble).toBe('-Infinity');
  // The text of the answer spells them so too: no null where a value was.
  const text = await (await fetch(`${viewer.url}/api/metrics`)).text();
  expect(text).not.toContain('null');
}

describe('non-finite doubles in metric points', () => {
  it('are stored and served as OTLP/JSON writes them, sent as OTLP/JSON', async () => {
    const body = JSON.stringify(metricsRequest(nonFinite('NaN', 'Infinity', '-Infinity')));
    const response = await postJson('/v1/metrics', body);
    expect(JSON.parse(response.body.toString())).toEqual({});
    await expectServedAsOtlpJson();
  });

  it('are stored and served as OTLP/JSON writes them, sent as protobuf', async () => {
    const type = loadOtlpSchema().metrics.request;
    const request = metricsRequest(nonFinite('NaN', 'Infinity', '-Infinity')) as {
      resourceMetrics: { scopeMetrics: { metrics: Record<string, unknown>[] }[] }[];
    };
    // Protobuf holds the doubles themselves; ids are bytes.
    const exemplar = (
      request.resourceMetrics[0]!.scopeMetrics[0]!.metrics[2]!.histogram as {
        dataPoints: { exemplars: Record<string, unknown>[] }[];
      }
    ).dataPoints[0]!.exemplars[0]!;
    exemplar.traceId = Buffer.from(traceIdHex, 'hex');
    exemplar.spanId = Buffer.from('eee19b7ec3c1b174', 'hex');
    const message = type.fromObject(request);
    const body = type.encode(message).finish();
    const response = await send(`${viewer.url}/v1/metrics`, {
      headers: { 'Content-Type': 'application/x-protobuf' },
      body,
    });
    expect(response.status).toBe(200);
    await expectServedAsOtlpJson();
  });
});

describe('int64 values sent as JSON numbers beyond 2^53', () => {
  it('keep every digit', async () => {
    // Written by hand: JSON.stringify could not write these numbers.
    const body = `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"ledger"}}]},"scopeSpans":[{"scope":{"name":"x"},"spans":[{"traceId":"${traceIdHex}","spanId":"eee19b7ec3c1b174","name":"post","kind":1,"startTimeUnixNano":${start},"endTimeUnixNano":${end},"attributes":[{"key":"account","value":{"intValue":9007199254740993}},{"key":"min","value":{"intValue":-9223372036854775808}},{"key":"small","value":{"intValue":42}}]}]}]}]}`;
    const response = await postJson('/v1/traces', body);
    expect(JSON.parse(response.body.toString())).toEqual({});
    const { spans } = await getJson<{ spans: SpanView[] }>(viewer, `/api/traces/${traceIdHex}`);
    expect(spans[0]).toMatchObject({
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      attributes: [
        { key: 'account', value: { intValue: '9007199254740993' } },
        { key: 'min', value: { intValue: '-9223372036854775808' } },
        { key: 'small', value: { intValue: '42' } },
      ],
    });
  });

  it('keep every digit in metric points', async () => {
    const body = JSON.stringify(
      metricsRequest([
        {
          name: 'bytes.total',
          sum: {
            aggregationTemporality: 2,
            isMonotonic: true,
            dataPoints: [{ ...time, asInt: 'BIG' }],
          },
        },
      ]),
    ).replace('"BIG"', '18446744073709551');
    await postJson('/v1/metrics', body);
    const wide = JSON.stringify(
      metricsRequest([{ name: 'offset', gauge: { dataPoints: [{ ...time, asInt: 'BIG' }] } }]),
    ).replace('"BIG"', '9223372036854775807');
    await postJson('/v1/metrics', wide);
    expect((await latest('bytes.total')).asInt).toBe('18446744073709551');
    expect((await latest('offset')).asInt).toBe('9223372036854775807');
  });
});

describe('int64 strings that are not integers in range', () => {
  it.each([
    ['"abc"', 'is not an integer'],
    ['"1.5"', 'is not an integer'],
    ['"99999999999999999999"', 'out of the int64 range'],
  ])(
    'refuses an intValue of %s through partial_success and stores the rest',
    async (value, reason) => {
      const spans = [
        jsonSpan({ spanId: '1000000000000001', name: 'kept' }),
        jsonSpan({
          spanId: '1000000000000002',
          name: 'refused',
          attributes: [{ key: 'n', value: { intValue: 'X' } }],
        }),
      ];
      const body = JSON.stringify(jsonTraceRequest(spans)).replace('"X"', value);
      const response = await postJson('/v1/traces', body);
      expect(response.status).toBe(200);
      const answer = JSON.parse(response.body.toString()) as {
        partialSuccess: { rejectedSpans: string; errorMessage: string };
      };
      expect(answer.partialSuccess.rejectedSpans).toBe('1');
      expect(answer.partialSuccess.errorMessage).toContain('refused');
      expect(answer.partialSuccess.errorMessage).toContain(reason);
      const { spans: stored } = await getJson<{ spans: SpanView[] }>(
        viewer,
        `/api/traces/${traceIdHex}`,
      );
      expect(stored.map((s) => s.name)).toEqual(['kept']);
    },
  );

  it.each(['"abc"', '"1.5"', '"99999999999999999999"', '"-1"'])(
    'refuses a time of %s, and a data point count of it',
    async (value) => {
      const span = JSON.stringify(jsonTraceRequest([jsonSpan({ startTimeUnixNano: 'X' })])).replace(
        '"X"',
        value,
      );
      const traces = JSON.parse((await postJson('/v1/traces', span)).body.toString());
      expect(traces.partialSuccess.rejectedSpans).toBe('1');
      const point = JSON.stringify(
        metricsRequest([
          {
            name: 'latency',
            histogram: {
              dataPoints: [{ ...time, count: 'X', bucketCounts: ['1'], explicitBounds: [] }],
            },
          },
        ]),
      ).replace('"X"', value);
      const metrics = JSON.parse((await postJson('/v1/metrics', point)).body.toString());
      expect(metrics.partialSuccess.rejectedDataPoints).toBe('1');
      const stored = await getJson<{ spans?: unknown[] }>(viewer, '/api/stats');
      expect(stored).toMatchObject({ spans: 0, metricPoints: 0 });
    },
  );
});
