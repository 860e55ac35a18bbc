import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/index.ts';
import {
  decodeTraceResponse,
  jsonSpan,
  jsonTraceRequest,
  protobufTraceRequest,
  recentNs,
} from './otlp-requests.ts';
import { getJson, send, startTestViewer } from './support.ts';

let viewer: Viewer;
let lines: string[];
beforeEach(async () => {
  lines = [];
  viewer = await startTestViewer({ onRefusal: (line) => lines.push(line) });
});
afterEach(() => viewer.close());

const json = { 'Content-Type': 'application/json' };
const protobuf = { 'Content-Type': 'application/x-protobuf' };
const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');
// 2^64 - 1 ns: a valid fixed64 time, past what SQLite's signed integers hold.
const pastStore = '18446744073709551615';

const stats = () =>
  getJson<{ spans: number; logs: number; metricPoints: number }>(viewer, '/api/stats');

describe('an item the store cannot hold', () => {
  it('is refused alone, while every valid export sent with it is answered 200', async () => {
    // Waves of 16 exports at once (the receiver reads 16 at a time), a quarter of them
    // carrying a span that ends in the year 584554 next to a valid one.
    const answers: { status: number; rejected: number; message: string }[] = [];
    let sent = 0;
    for (let wave = 0; wave < 5; wave++) {
      const exports = Array.from({ length: 16 }, (_, i) => {
        const n = wave * 16 + i;
        const traceId = hex(n + 1, 16);
        const spans = [jsonSpan({ traceId, spanId: hex(1, 8), name: `valid ${n}` })];
        if (n % 4 === 0) {
          spans.push(
            jsonSpan({
              traceId,
              spanId: hex(2, 8),
              name: 'far future',
              endTimeUnixNano: pastStore,
            }),
          );
        }
        sent += 1;
        const request = jsonTraceRequest(spans);
        return n % 2 === 0
          ? send(`${viewer.url}/v1/traces`, {
              headers: protobuf,
              body: protobufTraceRequest(request),
            }).then((r) => {
              const partial = (decodeTraceResponse(r.body).partialSuccess ?? {}) as {
                rejectedSpans?: number;
                errorMessage?: string;
              };
              return {
                status: r.status,
                rejected: partial.rejectedSpans ?? 0,
                message: partial.errorMessage ?? '',
              };
            })
          : send(`${viewer.url}/v1/traces`, { headers: json, body: JSON.stringify(request) }).then(
              (r) => {
                const partial = (JSON.parse(r.body.toString()).partialSuccess ?? {}) as {
                  rejectedSpans?: string;
                  errorMessage?: string;
                };
                return {
                  status: r.status,
                  rejected: Number(partial.rejectedSpans ?? 0),
                  message: partial.errorMessage ?? '',
                };
              },
            );
      });
      answers.push(...(await Promise.all(exports)));
    }
    expect(answers.map((a) => a.status)).toEqual(Array(sent).fill(200));
    expect(answers.filter((a) => a.rejected === 1)).toHaveLength(20);
    expect(answers.find((a) => a.rejected === 1)?.message).toBe(
      `rejected 1 span: span "far future": endTimeUnixNano ${pastStore} is past the latest time the viewer stores (9223372036854775807 ns, in 2262)`,
    );
    expect((await stats()).spans).toBe(80);
  });

  it('is refused alone among log records and data points too', async () => {
    const logs = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: String(recentNs), body: { stringValue: 'kept' } },
                { timeUnixNano: pastStore, eventName: 'far.future' },
              ],
            },
          ],
        },
      ],
    };
    const logAnswer = await send(`${viewer.url}/v1/logs`, {
      headers: json,
      body: JSON.stringify(logs),
    });
    expect(JSON.parse(logAnswer.body.toString())).toEqual({
      partialSuccess: {
        rejectedLogRecords: '1',
        errorMessage: expect.stringContaining('log record "far.future": timeUnixNano'),
      },
    });
    const point = (time: string) => ({ asDouble: 1, timeUnixNano: time });
    const metrics = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'queue.depth',
                  gauge: { dataPoints: [point(String(recentNs)), point(pastStore)] },
                },
              ],
            },
          ],
        },
      ],
    };
    const metricAnswer = await send(`${viewer.url}/v1/metrics`, {
      headers: json,
      body: JSON.stringify(metrics),
    });
    expect(JSON.parse(metricAnswer.body.toString())).toEqual({
      partialSuccess: {
        rejectedDataPoints: '1',
        errorMessage: expect.stringContaining('data point "queue.depth": timeUnixNano'),
      },
    });
    expect(await stats()).toMatchObject({ logs: 1, metricPoints: 1 });
  });
});

describe('an item older than the retention', () => {
  it('is refused with partial_success naming --max-age, not stored to vanish later', async () => {
    // A producer writing microseconds into a nanosecond field lands in 1970.
    const micros = recentNs / 1000n;
    const spans = [
      jsonSpan({
        name: 'in microseconds',
        startTimeUnixNano: `${micros}`,
        endTimeUnixNano: `${micros + 5n}`,
      }),
    ];
    const answer = await send(`${viewer.url}/v1/traces`, {
      headers: json,
      body: JSON.stringify(jsonTraceRequest(spans, 'misconfigured')),
    });
    const start = new Date(Number(micros / 1_000_000n)).toISOString();
    expect(JSON.parse(answer.body.toString())).toEqual({
      partialSuccess: {
        rejectedSpans: '1',
        errorMessage: `rejected 1 span: span "in microseconds": older than --max-age (168 h): startTimeUnixNano is ${start}`,
      },
    });
    // Nothing is left behind, not even the service's name.
    expect(await stats()).toMatchObject({ spans: 0 });
    expect(await getJson(viewer, '/api/services')).toEqual({ services: [] });
    expect(lines).toEqual([
      `refused 1 span from 127.0.0.1: span "in microseconds": older than --max-age (168 h): startTimeUnixNano is ${start}`,
    ]);
  });

  it('follows the retention the viewer was given', async () => {
    const short = await startTestViewer({ maxAgeMs: 30 * 60_000 });
    try {
      const hourAgo = recentNs - 3_600_000_000_000n;
      const logs = {
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { timeUnixNano: String(recentNs), body: { stringValue: 'now' } },
                  { timeUnixNano: String(hourAgo), body: { stringValue: 'an hour ago' } },
                ],
              },
            ],
          },
        ],
      };
      const answer = await send(`${short.url}/v1/logs`, {
        headers: json,
        body: JSON.stringify(logs),
      });
      expect(JSON.parse(answer.body.toString()).partialSuccess).toEqual({
        rejectedLogRecords: '1',
        errorMessage: expect.stringContaining('older than --max-age (0.5 h): timeUnixNano is'),
      });
    } finally {
      await short.close();
    }
  });
});
