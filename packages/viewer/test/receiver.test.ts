import { deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpanView, Viewer } from '../src/index.ts';
import {
  childIdHex,
  decodeStatus,
  decodeTraceResponse,
  jsonSpan,
  jsonTraceRequest,
  protobufRequestWithNestedArrays,
  protobufTraceRequest,
  recentNs,
  rootIdHex,
  traceIdHex,
} from './otlp-requests.ts';
import { getJson, send, startTestViewer } from './support.ts';

let viewer: Viewer;
beforeEach(async () => {
  viewer = await startTestViewer({ maxBodyBytes: 64 * 1024 });
});
afterEach(() => viewer.close());

const json = { 'Content-Type': 'application/json' };
const protobuf = { 'Content-Type': 'application/x-protobuf' };
const post = (path: string, headers: Record<string, string>, body: Uint8Array | string) =>
  send(`${viewer.url}${path}`, { headers, body });
const storedSpans = async () =>
  (await getJson<{ spans: SpanView[] }>(viewer, `/api/traces/${traceIdHex}`)).spans;

describe('the OTLP/HTTP receiver', () => {
  it('stores protobuf and answers an empty protobuf response', async () => {
    const body = protobufTraceRequest(jsonTraceRequest([jsonSpan()]));
    const response = await post('/v1/traces', protobuf, body);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-protobuf');
    expect(decodeTraceResponse(response.body)).toEqual({});
    expect(await storedSpans()).toHaveLength(1);
  });

  it('stores OTLP/JSON with hex ids and enum names and answers JSON', async () => {
    const span = jsonSpan({ kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_ERROR' } });
    const response = await post('/v1/traces', json, JSON.stringify(jsonTraceRequest([span])));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body.toString())).toEqual({});
    const [stored] = await storedSpans();
    expect(stored).toMatchObject({
      traceId: traceIdHex,
      spanId: rootIdHex,
      kind: 3,
      status: { code: 2 },
    });
  });

  it('keeps every AnyValue type, including maps, bytes and 64-bit integers', async () => {
    const attributes = [
      { key: 'big', value: { intValue: '9223372036854775807' } },
      { key: 'negative', value: { intValue: '-7' } },
      { key: 'bytes', value: { bytesValue: Buffer.from([1, 2, 255]).toString('base64') } },
      {
        key: 'map',
        value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } },
      },
      {
        key: 'nested',
        value: { arrayValue: { values: [{ arrayValue: { values: [{ doubleValue: 2 }] } }] } },
      },
      { key: 'empty', value: {} },
    ];
    const body = protobufTraceRequest(jsonTraceRequest([jsonSpan({ attributes })]));
    expect((await post('/v1/traces', protobuf, body)).status).toBe(200);
    const [stored] = await storedSpans();
    expect(stored!.attributes).toEqual([
      { key: 'big', value: { intValue: '9223372036854775807' } },
      { key: 'negative', value: { intValue: '-7' } },
      { key: 'bytes', value: { bytesValue: 'AQL/' } },
      {
        key: 'map',
        value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } },
      },
      {
        key: 'nested',
        value: { arrayValue: { values: [{ arrayValue: { values: [{ doubleValue: 2 }] } }] } },
      },
      { key: 'empty', value: {} },
    ]);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
  ])('accepts a %s-encoded body', async (encoding, compress) => {
    const body = compress(protobufTraceRequest(jsonTraceRequest([jsonSpan()])));
    const response = await post('/v1/traces', { ...protobuf, 'Content-Encoding': encoding }, body);
    expect(response.status).toBe(200);
    expect(await storedSpans()).toHaveLength(1);
  });

  it('rejects invalid spans through partial_success and stores the rest', async () => {
    const spans = [
      jsonSpan(),
      jsonSpan({
        spanId: childIdHex,
        parentSpanId: rootIdHex,
        name: 'short trace id',
        traceId: 'abcd',
      }),
      jsonSpan({ spanId: childIdHex, name: 'backwards', endTimeUnixNano: '1600000000000000000' }),
    ];
    const response = await post(
      '/v1/traces',
      protobuf,
      protobufTraceRequest(jsonTraceRequest(spans)),
    );
    expect(response.status).toBe(200);
    const { partialSuccess } = decodeTraceResponse(response.body) as {
      partialSuccess: { rejectedSpans: number; errorMessage: string };
    };
    expect(partialSuccess.rejectedSpans).toBe(2);
    expect(partialSuccess.errorMessage).toMatch(/short trace id.*trace id/);
    expect(partialSuccess.errorMessage).toMatch(/backwards.*end time is before start time/);
    expect((await storedSpans()).map((s) => s.name)).toEqual(['GET /users']);
  });

  it('reports partial_success in JSON with int64 counts as strings', async () => {
    const spans = [jsonSpan(), jsonSpan({ spanId: 'zz', name: 'bad hex' })];
    const response = await post('/v1/traces', json, JSON.stringify(jsonTraceRequest(spans)));
    expect(JSON.parse(response.body.toString())).toEqual({
      partialSuccess: { rejectedSpans: '1', errorMessage: expect.stringContaining('bad hex') },
    });
  });

  it('refuses invalid log records and nameless metrics through partial_success', async () => {
    const logs = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  body: { stringValue: 'kept' },
                  timeUnixNano: String(recentNs),
                  traceId: traceIdHex,
                  spanId: rootIdHex,
                },
                {
                  body: { stringValue: 'refused' },
                  timeUnixNano: String(recentNs),
                  traceId: '0102',
                },
              ],
            },
          ],
        },
      ],
    };
    const logResponse = await post('/v1/logs', json, JSON.stringify(logs));
    expect(JSON.parse(logResponse.body.toString())).toEqual({
      partialSuccess: {
        rejectedLogRecords: '1',
        errorMessage: expect.stringContaining('trace id'),
      },
    });
    const stored = await getJson<{ logs: unknown[] }>(viewer, `/api/traces/${traceIdHex}/logs`);
    expect(stored.logs).toHaveLength(1);

    const point = { asInt: '3', timeUnixNano: String(recentNs) };
    const metrics = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                { name: 'requests', sum: { dataPoints: [point], isMonotonic: true } },
                { name: '', gauge: { dataPoints: [point, point] } },
              ],
            },
          ],
        },
      ],
    };
    const metricResponse = await post('/v1/metrics', json, JSON.stringify(metrics));
    expect(JSON.parse(metricResponse.body.toString())).toEqual({
      partialSuccess: { rejectedDataPoints: '2', errorMessage: expect.stringContaining('no name') },
    });
    const { metrics: served } = await getJson<{ metrics: { name: string; points: unknown[] }[] }>(
      viewer,
      '/api/metrics',
    );
    expect(served.map((m) => [m.name, m.points])).toEqual([
      ['requests', [expect.objectContaining({ asInt: '3', isMonotonic: true })]],
    ]);
  });

  it('answers 400 with a Status for a malformed protobuf body', async () => {
    const response = await post('/v1/traces', protobuf, Buffer.from([0x0a, 0xff, 0xff, 0x01]));
    expect(response.status).toBe(400);
    expect(decodeStatus(response.body)).toMatchObject({
      code: 3,
      message: expect.stringMatching(/malformed protobuf/),
    });
  });

  it('answers 400 with a JSON Status for malformed JSON and for a non-object', async () => {
    for (const body of ['{"resourceSpans": [', '[1, 2]', '{"resourceSpans": 5}']) {
      const response = await post('/v1/traces', json, body);
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body.toString())).toMatchObject({
        code: 3,
        message: expect.any(String),
      });
    }
  });

  it('answers 400 for a corrupt gzip stream', async () => {
    const body = Buffer.from('this is not gzip');
    const response = await post('/v1/traces', { ...json, 'Content-Encoding': 'gzip' }, body);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body.toString()).message).toMatch(/corrupt gzip/);
  });

  it('answers 405 with Allow: POST to other methods', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await send(`${viewer.url}/v1/logs`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('POST');
    }
  });

  it('answers 415 to an unsupported content type or encoding', async () => {
    const body = JSON.stringify(jsonTraceRequest([jsonSpan()]));
    expect((await post('/v1/traces', { 'Content-Type': 'text/plain' }, body)).status).toBe(415);
    expect((await post('/v1/traces', {}, body)).status).toBe(415);
    const brotli = await post('/v1/traces', { ...json, 'Content-Encoding': 'br' }, body);
    expect(brotli.status).toBe(415);
    expect(JSON.parse(brotli.body.toString()).message).toMatch(/unsupported content encoding "br"/);
  });

  it('answers 413 to a body over the limit, plain or once decompressed', async () => {
    const big = JSON.stringify(jsonTraceRequest([jsonSpan({ name: 'x'.repeat(70 * 1024) })]));
    expect((await post('/v1/traces', json, big)).status).toBe(413);
    const small = gzipSync(big);
    expect(small.length).toBeLessThan(64 * 1024);
    const response = await post('/v1/traces', { ...json, 'Content-Encoding': 'gzip' }, small);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body.toString()).message).toMatch(/after decompression/);
  });

  it('refuses only the span whose value is nested too deep, in JSON or protobuf', async () => {
    // Deeper than the stack, in JSON.
    const depth = 100_000;
    const nested = `${'{"arrayValue":{"values":['.repeat(depth)}${']}}'.repeat(depth)}`;
    const deepSpan = JSON.stringify(jsonSpan({ name: 'deep', attributes: [] })).replace(
      '"attributes":[]',
      `"attributes":[{"key":"deep","value":${nested}}]`,
    );
    const kept = JSON.stringify(jsonSpan({ spanId: childIdHex, name: 'kept' }));
    const body = JSON.stringify(jsonTraceRequest([])).replace(
      '"spans":[]',
      `"spans":[${deepSpan},${kept}]`,
    );
    const roomy = await startTestViewer(); // the default 20 MiB limit admits this body
    try {
      const response = await send(`${roomy.url}/v1/traces`, { headers: json, body });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body.toString())).toEqual({
        partialSuccess: {
          rejectedSpans: '1',
          errorMessage: 'rejected 1 span: span "deep": a value is nested too deeply to read',
        },
      });
      const stored = await getJson<{ spans: SpanView[] }>(roomy, `/api/traces/${traceIdHex}`);
      expect(stored.spans.map((s) => s.name)).toEqual(['kept']);
    } finally {
      await roomy.close();
    }

    // Past protobuf's limit of 100 levels inside one span (a request used to count its own
    // levels too, so that 48 arrays refused every span of it), beside one within the limit.
    const request = protobufRequestWithNestedArrays([
      { span: jsonSpan({ name: 'too deep' }), arrays: 60 },
      { span: jsonSpan({ spanId: childIdHex, name: 'within' }), arrays: 48 },
    ]);
    const response = await post('/v1/traces', protobuf, request);
    expect(response.status).toBe(200);
    expect(decodeTraceResponse(response.body)).toEqual({
      partialSuccess: {
        rejectedSpans: 1,
        errorMessage:
          'rejected 1 span: span "too deep": a value is nested deeper than 100 levels (the protobuf limit)',
      },
    });
    const [within] = await storedSpans();
    expect(within!.name).toBe('within');
    let value = within!.attributes[0]!.value as Record<string, unknown>;
    let arrays = 0;
    while ('arrayValue' in value) {
      arrays++;
      value = (value.arrayValue as { values: Record<string, unknown>[] }).values[0]!;
    }
    expect([arrays, value]).toEqual([48, { stringValue: 'bottom' }]);
  });

  it('keeps serving after every kind of refusal', async () => {
    await post('/v1/traces', protobuf, Buffer.from([0xff]));
    await post('/v1/traces', { ...json, 'Content-Encoding': 'gzip' }, 'junk');
    const response = await post(
      '/v1/traces',
      protobuf,
      protobufTraceRequest(jsonTraceRequest([jsonSpan()])),
    );
    expect(response.status).toBe(200);
  });
});
