import type { Viewer } from '../src/index.ts';
import { send } from './support.ts';

/** Telemetry the browser tests send as OTLP/JSON, built to be awkward where producers are. */

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });
export const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');
const ns = (ms: number) => String(BigInt(Math.round(ms * 1000)) * 1000n);

type Json = Record<string, unknown>;

/** A span of `trace` from `fromMs` lasting `ms`; `parent` 0 for none. */
export function span(
  trace: string,
  id: number,
  parent: number,
  name: string,
  fromMs: number,
  ms: number,
  extra: Json = {},
): Json {
  return {
    traceId: trace,
    spanId: hex(id, 8),
    ...(parent ? { parentSpanId: hex(parent, 8) } : {}),
    name,
    kind: 1,
    startTimeUnixNano: ns(fromMs),
    endTimeUnixNano: ns(fromMs + ms),
    ...extra,
  };
}

async function post(viewer: Viewer, path: string, body: unknown): Promise<void> {
  const response = await send(`${viewer.url}${path}`, {
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = response.body.toString();
  if (response.status !== 200 || answer !== '{}') throw new Error(`${path}: ${answer}`);
}

/** Sends `spans` from `service`. */
export function sendSpans(viewer: Viewer, service: string, spans: Json[]): Promise<void> {
  return post(viewer, '/v1/traces', {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', service)] },
        scopeSpans: [{ scope: { name: 'browser-test' }, spans }],
      },
    ],
  });
}

/** Ids of what {@link sendAwkwardTelemetry} sent. */
export const traces = {
  odd: hex(0x0dd, 16),
  big: hex(0xb16, 16),
  long: hex(0x10b6, 16),
  usual: hex(0xa, 16),
  slow: hex(0xb, 16),
  database: hex(0xdb, 16),
  sampled: hex(0x5a, 16),
  clientRoot: hex(0xc1, 16),
  logsOnly: hex(0x1065, 16),
};

/** A span name of 200,000 characters without a space. */
export const longName = `GET /${'segment'.repeat(28_571)}x`;

/** Sends the traces, logs and metrics of the tests. */
export async function sendAwkwardTelemetry(viewer: Viewer): Promise<void> {
  const now = Date.now() - 5 * 60_000;
  // Spans that are each other's parents, their own parent, sent twice, or whose parent is lost.
  await sendSpans(viewer, 'odd', [
    span(traces.odd, 1, 0, 'root', now, 50),
    span(traces.odd, 2, 1, 'child', now + 1, 10),
    span(traces.odd, 3, 4, 'ping', now + 2, 5),
    span(traces.odd, 4, 3, 'pong', now + 3, 5),
    span(traces.odd, 5, 5, 'narcissus', now + 4, 5),
    span(traces.odd, 6, 99, 'orphan', now + 5, 5),
  ]);

  // 10,000 spans: a tree of seeded shape, three of them named `needle`.
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const big: Json[] = [span(traces.big, 1, 0, 'GET /haystack', now, 5000, { kind: 2 })];
  for (let i = 2; i <= 10_000; i++) {
    const parent = 1 + Math.floor(random() * (i - 1));
    const name = i % 3333 === 0 ? 'needle' : `step ${i % 50}`;
    big.push(
      span(traces.big, i, parent, name, now + (i % 4000), 1 + (i % 7), {
        attributes: [int('order.item', i % 97), str('shard', `s${i % 5}`)],
      }),
    );
  }
  for (let i = 0; i < big.length; i += 2000)
    await sendSpans(viewer, 'haystack', big.slice(i, i + 2000));

  await sendSpans(viewer, 'long-names', [span(traces.long, 1, 0, longName, now, 20, { kind: 2 })]);

  // Two checkouts to compare: the second's query got slow and its payment failed.
  const checkout = (trace: string, queryMs: number, failed: boolean, at: number) => [
    span(trace, 1, 0, 'GET /checkout', at, 40 + queryMs, { kind: 2 }),
    span(trace, 2, 1, 'SELECT cart', at + 1, queryMs, {
      kind: 3,
      attributes: [
        str('db.system.name', 'mysql'),
        str('server.address', '127.0.0.1'),
        str('db.query.text', 'SELECT * FROM cart WHERE user_id = ?'),
      ],
    }),
    span(trace, 3, 1, 'POST /charge', at + 2 + queryMs, 20, {
      kind: 3,
      status: failed ? { code: 2 } : {},
      attributes: failed ? [str('error.type', '502')] : [],
    }),
  ];
  await sendSpans(viewer, 'shop', checkout(traces.usual, 8, false, now + 60_000));
  await sendSpans(viewer, 'shop', checkout(traces.slow, 180, true, now + 120_000));

  // A cache read and a kept trace of a service that samples.
  await sendSpans(viewer, 'shop', [
    span(traces.database, 1, 0, 'GET /users/:id', now + 130_000, 5, {
      kind: 2,
      attributes: [str('http.route', '/users/:id'), str('otelkit.sampling.reason', 'slow')],
    }),
    span(traces.database, 2, 1, 'GET', now + 130_001, 1, {
      kind: 3,
      attributes: [
        str('db.system.name', 'redis'),
        str('server.address', '127.0.0.1'),
        str('db.query.text', 'GET user:42'),
      ],
    }),
  ]);
  await sendSpans(viewer, 'job', [
    span(traces.clientRoot, 1, 0, 'GET', now + 140_000, 9, {
      kind: 3,
      attributes: [str('url.full', 'http://127.0.0.1:3000/users/42')],
    }),
  ]);

  // Log records: an event without a body, a severity without its text, one of a trace whose
  // spans never arrived.
  await post(viewer, '/v1/logs', {
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', 'shop')] },
        scopeLogs: [
          {
            logRecords: [
              { timeUnixNano: ns(now + 1000), eventName: 'checkout.completed', severityNumber: 9 },
              {
                timeUnixNano: ns(now + 2000),
                severityNumber: 14,
                body: { stringValue: 'cart is getting large' },
                attributes: [int('cart.items', 120)],
              },
              {
                timeUnixNano: ns(now + 3000),
                severityNumber: 17,
                severityText: 'ERROR',
                body: { stringValue: 'payment refused' },
                traceId: traces.logsOnly,
                spanId: hex(7, 8),
              },
            ],
          },
        ],
      },
    ],
  });

  // A temperature below zero, and an up-down counter that goes negative.
  const minute = 60_000;
  const start = Math.floor((Date.now() - 30 * minute) / minute) * minute;
  const points = (value: (m: number) => number) =>
    Array.from({ length: 30 }, (_, m) => ({
      startTimeUnixNano: ns(start),
      timeUnixNano: ns(start + m * minute + 1000),
      asDouble: value(m),
    }));
  await post(viewer, '/v1/metrics', {
    resourceMetrics: [
      {
        resource: { attributes: [str('service.name', 'cold-store')] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'room.temperature',
                unit: 'Cel',
                gauge: { dataPoints: points((m) => -18 + (m % 9)) },
              },
              {
                name: 'stock.balance',
                unit: '{item}',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: false,
                  dataPoints: points((m) => 40 - 4 * m),
                },
              },
            ],
          },
        ],
      },
    ],
  });
}
