import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorList, Viewer } from '../src/index.ts';
import { jsonSpan, jsonTraceRequest, recentNs } from './otlp-requests.ts';
import { getJson, send, startTestViewer } from './support.ts';

let viewer: Viewer;
beforeEach(async () => {
  viewer = await startTestViewer();
});
afterEach(() => viewer.close());

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');

async function exportSpans(spans: Record<string, unknown>[], service: string): Promise<void> {
  const response = await send(`${viewer.url}/v1/traces`, {
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(jsonTraceRequest(spans, service)),
  });
  expect(JSON.parse(response.body.toString())).toEqual({});
}

const groups = async () =>
  (await getJson<ErrorList>(viewer, '/api/errors')).errors.map((e) => ({
    service: e.service,
    type: e.type,
    message: e.message,
    route: e.route,
    count: e.count,
    chainTypes: e.chainTypes,
  }));

describe('a failed span without an exception event', () => {
  it("is grouped by dd-trace's error.type and error.message", async () => {
    for (let i = 0; i < 3; i++) {
      await exportSpans(
        [
          jsonSpan({
            traceId: hex(i + 1, 16),
            name: 'express.request',
            attributes: [
              str('http.route', '/orders/:id'),
              str('error.type', 'TypeError'),
              str('error.message', `Cannot read properties of undefined (reading 'id') at ${i}`),
              str('error.stack', 'TypeError: Cannot read properties of undefined\n    at handler'),
            ],
            status: { code: 2 },
          }),
        ],
        'orders',
      );
    }
    expect(await groups()).toEqual([
      {
        service: 'orders',
        type: 'TypeError',
        message: "Cannot read properties of undefined (reading 'id') at <n>",
        route: '/orders/:id',
        count: 3,
        chainTypes: ['TypeError'],
      },
    ]);
  });

  it('is grouped by error.type, else by its status message', async () => {
    await exportSpans(
      [
        jsonSpan({
          traceId: hex(1, 16),
          name: 'GET',
          kind: 3,
          attributes: [str('error.type', '503'), str('url.full', 'http://stock/items')],
          status: { code: 2 },
        }),
        jsonSpan({
          traceId: hex(2, 16),
          name: 'publish',
          kind: 4,
          attributes: [],
          status: { code: 2, message: 'broker unreachable' },
        }),
      ],
      'shop',
    );
    expect(await groups()).toEqual([
      expect.objectContaining({ type: '503', message: '', count: 1 }),
      expect.objectContaining({ type: '', message: 'broker unreachable', count: 1 }),
    ]);
  });

  it('is not counted again when a failed child explains it, whichever arrives first', async () => {
    const traceId = hex(7, 16);
    const root = jsonSpan({
      traceId,
      spanId: hex(1, 8),
      name: 'GET /checkout',
      attributes: [str('http.route', '/checkout'), str('error.type', '500')],
      status: { code: 2 },
    });
    const call = jsonSpan({
      traceId,
      spanId: hex(2, 8),
      parentSpanId: hex(1, 8),
      name: 'POST',
      kind: 3,
      attributes: [str('error.type', '500')],
      status: { code: 2 },
    });
    const failing = jsonSpan({
      traceId,
      spanId: hex(3, 8),
      parentSpanId: hex(2, 8),
      name: 'POST /pay',
      attributes: [str('http.route', '/pay')],
      status: { code: 2, message: 'card declined' },
      events: [
        {
          name: 'exception',
          timeUnixNano: String(recentNs),
          attributes: [
            str('exception.type', 'PaymentError'),
            str('exception.message', 'card declined'),
          ],
        },
      ],
    });
    // The caller's spans arrive first: each looks like an error of its own, until the failure
    // they echo arrives.
    await exportSpans([call, root], 'shop');
    expect((await groups()).map((g) => g.type)).toEqual(['500']);
    await exportSpans([failing], 'payments');
    expect(await groups()).toEqual([
      {
        service: 'payments',
        type: 'PaymentError',
        message: 'card declined',
        route: '/pay',
        count: 1,
        chainTypes: ['PaymentError'],
      },
    ]);
    // Sent in the other order, or all at once, the same.
    await exportSpans([{ ...failing, traceId: hex(8, 16) }], 'payments');
    await exportSpans(
      [
        { ...call, traceId: hex(8, 16) },
        { ...root, traceId: hex(8, 16) },
      ],
      'shop',
    );
    await exportSpans(
      [failing, call, root].map((s) => ({ ...s, traceId: hex(9, 16) })),
      'monolith',
    );
    expect((await groups()).map((g) => [g.service, g.type, g.count])).toEqual([
      ['payments', 'PaymentError', 2],
      ['monolith', 'PaymentError', 1],
    ]);
  });
});

describe('a failed span that links to another', () => {
  const exception = (type: string, message: string) => ({
    name: 'exception',
    timeUnixNano: String(recentNs),
    attributes: [str('exception.type', type), str('exception.message', message)],
  });
  // otelkit's captureCrashes: the crash span, in a trace of its own, links to the span that
  // recorded the error the process crashed of, and does not record it again.
  const crashOf = (n: number, linkTo: Record<string, unknown>) =>
    jsonSpan({
      traceId: hex(100 + n, 16),
      spanId: hex(100 + n, 8),
      name: 'unhandledRejection',
      attributes: [str('crash.kind', 'unhandledRejection'), str('error.type', 'Error')],
      status: { code: 2, message: 'disk on fire' },
      links: [{ traceId: linkTo.traceId, spanId: linkTo.spanId, attributes: [] }],
    });
  const jobOf = (n: number) =>
    jsonSpan({
      traceId: hex(n, 16),
      spanId: hex(n, 8),
      name: 'handle job',
      attributes: [],
      status: { code: 2, message: 'disk on fire' },
      events: [exception('Error', 'disk on fire')],
    });

  it('is not counted again when the linked span recorded the error, whichever arrives first', async () => {
    const first = jobOf(1);
    await exportSpans([first, crashOf(1, first)], 'worker');
    expect((await groups()).map((g) => g.count)).toEqual([1]);
    // The crash span first: an error of its own until the span it links to arrives.
    const second = jobOf(2);
    await exportSpans([crashOf(2, second)], 'worker');
    expect((await groups()).map((g) => g.count)).toEqual([2]);
    await exportSpans([second], 'worker');
    expect(await groups()).toEqual([
      {
        service: 'worker',
        type: 'Error',
        message: 'disk on fire',
        route: '',
        count: 2,
        chainTypes: ['Error'],
      },
    ]);
  });

  it('is counted when the linked span did not record an error', async () => {
    const producer = jsonSpan({ traceId: hex(3, 16), spanId: hex(3, 8), name: 'send order' });
    const consumer = jsonSpan({
      traceId: hex(4, 16),
      spanId: hex(4, 8),
      name: 'process order',
      kind: 5,
      attributes: [str('error.type', 'OrderRejected')],
      status: { code: 2 },
      links: [{ traceId: hex(3, 16), spanId: hex(3, 8), attributes: [] }],
    });
    await exportSpans([producer, consumer], 'orders');
    expect((await groups()).map((g) => [g.type, g.count])).toEqual([['OrderRejected', 1]]);
  });
});
