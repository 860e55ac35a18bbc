import type { Viewer } from '../src/index.ts';
import { send } from './support.ts';

/**
 * A known hour of telemetry from two services that call each other, sent as OTLP/JSON:
 *
 * - 60 checkout requests, one a minute: `frontend` `GET /checkout` calls `payments` `POST /pay`,
 *   which queries its database; every tenth, `payments` calls back `frontend` `GET /callback`.
 * - Three kinds of errors: `TimeoutError` in payments (15 times), `ValidationError` in a span
 *   under frontend's `/checkout` (10 times, sent before its local root, so its route arrives
 *   later), `DatabaseError` caused by a `ConnectionError` (6 times); their messages hold numbers,
 *   hex ids and UUIDs that vary.
 * - Log records in the requests, and 30 from a background job without a trace.
 * - Metrics for the hour: frontend's `http.server.request.duration` histogram (cumulative, a
 *   point a minute), payments' `payments.charged` counter and `queue.depth` gauge.
 */
export interface Seeded {
  /** The end of the hour: the last whole minute before seeding, in ms since the epoch. */
  now: number;
  /** Trace ids, oldest first; `traceIds[i]` started `60 - i` minutes before `now`. */
  traceIds: string[];
  /** Indexes of the traces that failed, by exception type. */
  failed: { TimeoutError: number[]; ValidationError: number[]; DatabaseError: number[] };
  /** Span ids of frontend's `GET /checkout` span of each trace. */
  rootSpanIds: string[];
}

const minute = 60_000;
const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');
const ns = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });

const resources = {
  frontend: {
    attributes: [str('service.name', 'frontend'), str('deployment.environment.name', 'test')],
  },
  payments: {
    attributes: [
      str('service.name', 'payments'),
      str('deployment.environment.name', 'test'),
      str('cloud.region', 'eu-west-1'),
    ],
  },
};

type Json = Record<string, unknown>;

function exception(type: string, message: string, chain: string[]) {
  return {
    name: 'exception',
    attributes: [
      str('exception.type', type),
      str('exception.message', message),
      {
        key: 'exception.chain.types',
        value: { arrayValue: { values: chain.map((t) => ({ stringValue: t })) } },
      },
    ],
  };
}

async function post(viewer: Viewer, path: string, body: unknown): Promise<void> {
  const response = await send(`${viewer.url}${path}`, {
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.body}`);
  const answer = JSON.parse(response.body.toString()) as { partialSuccess?: unknown };
  if (answer.partialSuccess) throw new Error(`${path}: ${JSON.stringify(answer)}`);
}

function traceRequest(byService: Partial<Record<keyof typeof resources, Json[]>>) {
  return {
    resourceSpans: Object.entries(byService).map(([service, spans]) => ({
      resource: resources[service as keyof typeof resources],
      scopeSpans: [{ scope: { name: 'seed' }, spans }],
    })),
  };
}

/** Sends the hour to `viewer`. */
export async function seed(viewer: Viewer): Promise<Seeded> {
  const now = Math.floor(Date.now() / minute) * minute;
  const seeded: Seeded = {
    now,
    traceIds: [],
    failed: { TimeoutError: [], ValidationError: [], DatabaseError: [] },
    rootSpanIds: [],
  };
  const logs: { service: keyof typeof resources; log: Json }[] = [];
  for (let i = 0; i < 60; i++) {
    const traceId = hex(0xa000 + i, 16);
    const id = (n: number) => hex(i * 16 + n + 1, 8);
    const start = now - (60 - i) * minute + 1000;
    const timeout = i % 4 === 1;
    const invalid = i % 6 === 2;
    const database = i % 10 === 3;
    seeded.traceIds.push(traceId);
    seeded.rootSpanIds.push(id(0));
    if (timeout) seeded.failed.TimeoutError.push(i);
    if (invalid) seeded.failed.ValidationError.push(i);
    if (database) seeded.failed.DatabaseError.push(i);
    const span = (
      n: number,
      parent: number | undefined,
      name: string,
      kind: number,
      from: number,
      ms: number,
      extra: Json = {},
    ) => ({
      traceId,
      spanId: id(n),
      ...(parent === undefined ? {} : { parentSpanId: id(parent) }),
      name,
      kind,
      startTimeUnixNano: ns(from),
      endTimeUnixNano: ns(from + ms),
      ...extra,
    });
    const payDuration = timeout ? 3000 : 40 + i;
    const frontend: Json[] = [
      span(1, 0, 'POST /pay', 3, start + 2, payDuration + 4, {
        attributes: [
          str('server.address', 'payments'),
          int('http.response.status_code', timeout ? 504 : 200),
        ],
        status: timeout ? { code: 2 } : {},
      }),
    ];
    const validate = span(5, 0, 'validate cart', 1, start + 1, 1, {
      status: { code: 2, message: 'invalid cart' },
      events: [
        {
          timeUnixNano: ns(start + 2),
          ...exception(
            'ValidationError',
            `cart 0x${hex(0x1f2e3d4c + i, 4)} has ${i % 5} invalid items`,
            ['ValidationError'],
          ),
        },
      ],
    });
    if (!invalid) frontend.push(span(5, 0, 'validate cart', 1, start + 1, 1));
    frontend.push(
      span(0, undefined, 'GET /checkout', 2, start, payDuration + 10, {
        attributes: [
          str('http.request.method', 'GET'),
          str('http.route', '/checkout'),
          int('http.response.status_code', timeout || invalid ? 500 : 200),
          str('user.id', `u${i % 5}`),
        ],
        status: timeout || invalid ? { code: 2, message: 'checkout failed' } : {},
      }),
    );
    const payments: Json[] = [
      span(2, 1, 'POST /pay', 2, start + 3, payDuration, {
        attributes: [
          str('http.request.method', 'POST'),
          str('http.route', '/pay'),
          int('http.response.status_code', timeout ? 504 : 200),
        ],
        status: timeout ? { code: 2, message: 'timed out' } : {},
        events: timeout
          ? [
              {
                timeUnixNano: ns(start + 3 + payDuration),
                ...exception('TimeoutError', `charge ${1000 + i} timed out after 3000 ms`, [
                  'TimeoutError',
                ]),
              },
            ]
          : [],
      }),
      span(3, 2, 'SELECT accounts', 3, start + 4, 5, {
        attributes: [
          str('db.system.name', 'postgresql'),
          str('server.address', 'accounts-db'),
          str('db.query.text', 'SELECT balance FROM accounts WHERE id = $1'),
        ],
        status: database ? { code: 2 } : {},
        events: database
          ? [
              {
                timeUnixNano: ns(start + 9),
                ...exception(
                  'DatabaseError',
                  `query failed for account ${hex(0xabcdef00 + i, 4)}-0000-4000-8000-${hex(i + 1, 6)}`,
                  ['DatabaseError', 'ConnectionError'],
                ),
              },
            ]
          : [],
      }),
    ];
    if (i % 10 === 0) {
      payments.push(span(6, 2, 'GET /callback', 3, start + 20, 5));
      frontend.push(
        span(7, 6, 'GET /callback', 2, start + 21, 3, {
          attributes: [str('http.route', '/callback'), int('http.response.status_code', 200)],
        }),
      );
    }
    if (invalid) {
      // The failing span arrives first, alone: its local root comes with the next export.
      await post(viewer, '/v1/traces', traceRequest({ frontend: [validate] }));
    }
    await post(viewer, '/v1/traces', traceRequest({ frontend, payments }));
    logs.push({
      service: 'frontend',
      log: {
        timeUnixNano: ns(start + 5),
        severityNumber: 9,
        severityText: 'INFO',
        body: { stringValue: `checkout for user u${i % 5} took ${payDuration + 10} ms` },
        attributes: [str('user.id', `u${i % 5}`)],
        traceId,
        spanId: id(0),
      },
    });
    if (timeout) {
      logs.push({
        service: 'payments',
        log: {
          timeUnixNano: ns(start + 3 + payDuration),
          severityNumber: 17,
          severityText: 'ERROR',
          body: { stringValue: `charge ${1000 + i} timed out` },
          traceId,
          spanId: id(2),
        },
      });
    }
    if (i % 2 === 0) {
      logs.push({
        service: 'payments',
        log: {
          timeUnixNano: ns(start + 30),
          severityNumber: i % 4 === 0 ? 13 : 5,
          severityText: i % 4 === 0 ? 'WARN' : 'DEBUG',
          body: {
            stringValue: i % 4 === 0 ? `disk usage at ${90 + (i % 7)}% on /var` : `heartbeat ${i}`,
          },
          attributes: [str('job.name', 'janitor')],
        },
      });
    }
  }
  for (const service of ['frontend', 'payments'] as const) {
    await post(viewer, '/v1/logs', {
      resourceLogs: [
        {
          resource: resources[service],
          scopeLogs: [
            {
              scope: { name: 'seed' },
              logRecords: logs.filter((l) => l.service === service).map((l) => l.log),
            },
          ],
        },
      ],
    });
  }
  await post(viewer, '/v1/metrics', metricsRequest(now));
  return seeded;
}

/** Bounds of frontend's request duration histogram, in seconds. */
export const durationBounds = [0.01, 0.05, 0.1, 0.5, 1];

// A point a minute for the hour: each minute frontend served three /checkout requests that took
// 20–50 ms and, every tenth minute, one that failed after 0.5–1 s; payments charged twice a
// minute; its queue depth was the minute's number.
function metricsRequest(now: number) {
  const start = now - 61 * minute;
  const ok = [0, 0, 0, 0, 0, 0];
  const failed = [0, 0, 0, 0, 0, 0];
  const okPoints = [];
  const failedPoints = [];
  const charged = [];
  const depth = [];
  for (let m = 0; m < 60; m++) {
    const time = now - (59 - m) * minute;
    ok[1]! += 3;
    if (m % 10 === 0) failed[4]! += 1;
    const point = (counts: number[], status: number) => ({
      startTimeUnixNano: ns(start),
      timeUnixNano: ns(time),
      attributes: [
        str('http.route', '/checkout'),
        str('http.request.method', 'GET'),
        int('http.response.status_code', status),
      ],
      count: String(counts.reduce((a, b) => a + b, 0)),
      bucketCounts: counts.map(String),
      explicitBounds: durationBounds,
    });
    okPoints.push(point(ok, 200));
    if (failed.some((n) => n > 0)) failedPoints.push(point(failed, 500));
    charged.push({
      startTimeUnixNano: ns(start),
      timeUnixNano: ns(time),
      asInt: String(2 * (m + 1)),
    });
    depth.push({ timeUnixNano: ns(time), asDouble: m });
  }
  return {
    resourceMetrics: [
      {
        resource: resources.frontend,
        scopeMetrics: [
          {
            scope: { name: 'seed' },
            metrics: [
              {
                name: 'http.server.request.duration',
                unit: 's',
                histogram: {
                  aggregationTemporality: 2,
                  dataPoints: [...okPoints, ...failedPoints],
                },
              },
            ],
          },
        ],
      },
      {
        resource: resources.payments,
        scopeMetrics: [
          {
            scope: { name: 'seed' },
            metrics: [
              {
                name: 'payments.charged',
                unit: '{charge}',
                sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: charged },
              },
              { name: 'queue.depth', unit: '{message}', gauge: { dataPoints: depth } },
            ],
          },
        ],
      },
    ],
  };
}
