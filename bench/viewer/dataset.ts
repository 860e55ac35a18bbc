import { requestRecords } from '../../packages/viewer/src/receiver/export-records.ts';
import { loadOtlpSchema } from '../../packages/viewer/src/receiver/otlp-schema.ts';
import type { ExportBatch } from '../../packages/viewer/src/records.ts';
import { Random } from './random.ts';

/** Options of {@link dataset}. */
export interface DatasetOptions {
  /** Spans to generate (about; the last trace completes). */
  spans: number;
  /** Log records to generate, with and without a trace. */
  logs: number;
  /** The telemetry spreads evenly over this window (ms since the epoch). */
  startMs: number;
  endMs: number;
  seed: number;
}

/** Values found in the data set, for queries that should find something. */
export interface DatasetFacts {
  spans: number;
  logs: number;
  traces: number;
  userIds: string[];
  orderIds: string[];
  traceIds: string[];
  bigTraceId: string;
}

type Json = Record<string, unknown>;
const server = 2;
const client = 3;
const internal = 1;

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: value } });
const ns = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

interface Call {
  service: string;
  method: string;
  route: string;
  /** Database statements the handler runs, as `operation table`. */
  queries: string[];
  calls: Call[];
}

const routes: { method: string; route: string; weight: number; calls: Call[] }[] = [
  {
    method: 'GET',
    route: '/products',
    weight: 40,
    calls: [
      {
        service: 'search',
        method: 'GET',
        route: '/search',
        queries: ['SELECT products'],
        calls: [],
      },
    ],
  },
  {
    method: 'GET',
    route: '/products/:id',
    weight: 25,
    calls: [
      {
        service: 'inventory',
        method: 'GET',
        route: '/stock/:id',
        queries: ['SELECT stock', 'SELECT prices'],
        calls: [],
      },
    ],
  },
  {
    method: 'POST',
    route: '/checkout',
    weight: 15,
    calls: [
      {
        service: 'checkout',
        method: 'POST',
        route: '/orders',
        queries: ['INSERT orders'],
        calls: [
          {
            service: 'inventory',
            method: 'POST',
            route: '/reserve',
            queries: ['UPDATE stock'],
            calls: [],
          },
          {
            service: 'billing',
            method: 'POST',
            route: '/charges',
            queries: ['INSERT charges'],
            calls: [],
          },
        ],
      },
    ],
  },
  {
    method: 'GET',
    route: '/users/:id',
    weight: 15,
    calls: [
      {
        service: 'users',
        method: 'GET',
        route: '/users/:id',
        queries: ['SELECT users'],
        calls: [],
      },
    ],
  },
  { method: 'GET', route: '/health', weight: 5, calls: [] },
];

/** How a trace fails: where, with what exception chain, and what the entry span answers. */
interface Failure {
  service: string;
  /** Exception types, outer first, recorded on the failing service's server span. */
  chain: string[];
  message: (r: Random) => string;
  status: number;
}

const failures: Record<string, Failure[]> = {
  '/checkout': [
    {
      service: 'billing',
      chain: ['CheckoutError', 'PaymentError', 'TimeoutError'],
      message: (r) => `checkout of order ${10_000 + r.int(90_000)} failed`,
      status: 502,
    },
    {
      service: 'inventory',
      chain: ['ValidationError'],
      message: (r) =>
        `invalid quantity -${1 + r.int(9)} for product 0x${r.bytes(4).toString('hex')}`,
      status: 500,
    },
  ],
  '/products/:id': [
    {
      service: 'inventory',
      chain: ['DatabaseError'],
      message: (r) => `deadlock detected while reading stock of product ${r.int(5000)}`,
      status: 500,
    },
  ],
  '/users/:id': [
    {
      service: 'users',
      chain: ['NotFoundError'],
      message: (r) => `user ${r.int(100_000)} not found in shard ${r.int(16)}`,
      status: 500,
    },
  ],
};

// The dataset is a recent day: nothing in it is older than the viewer's default retention.
const maxAgeMs = 7 * 24 * 60 * 60 * 1000;
const services = ['gateway', 'search', 'inventory', 'checkout', 'billing', 'users'];
const durationBounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** One generated trace: its spans by service, its log records, and its entry request. */
interface Trace {
  traceId: Buffer;
  spans: Map<string, Json[]>;
  logs: { service: string; log: Json }[];
  request: { route: string; method: string; status: number; seconds: number };
}

/**
 * A realistic shop: a gateway calling search, inventory, checkout, billing and users, each
 * with database queries; about 3% of requests fail with one of five exception types (some
 * with cause chains); log records in requests and in background jobs; the gateway's
 * `http.server.request.duration` histogram, a counter and a memory gauge every minute. The
 * batches come as the receiver hands them to the store, in time order, some traces split
 * over two batches as separate services export them.
 */
export function* dataset(options: DatasetOptions, facts: DatasetFacts): Generator<ExportBatch> {
  const r = new Random(options.seed);
  const window = options.endMs - options.startMs;
  const bigAt = options.startMs + window * 0.999;
  let pending: Trace[] = [];
  let deferred = new Map<string, Json[]>();
  let pendingLogs: { service: string; log: Json }[] = [];
  let backgroundLogs = 0;
  let minute = Math.floor(options.startMs / 60_000);
  const histograms = new Map<string, number[]>();
  let orders = 0;
  const memory = new Map(services.map((s) => [s, 120e6 + r.int(80e6)]));
  const backgroundTarget = () => options.logs - facts.logs;

  while (facts.spans < options.spans) {
    const progress = facts.spans / options.spans;
    const at = options.startMs + progress * window;
    if (facts.traces === 1000) {
      const big = bigTrace(r, bigAt);
      facts.bigTraceId = big.traceId.toString('hex');
      yield spanBatch(new Map([...big.spans]));
      facts.spans += 1000;
      facts.traces++;
    }
    const trace = buildTrace(r, at, facts);
    pending.push(trace);
    facts.traces++;
    for (const list of trace.spans.values()) facts.spans += list.length;
    pendingLogs.push(...trace.logs);
    facts.logs += trace.logs.length;
    if (trace.request.route === '/checkout' && trace.request.status < 400) orders++;
    const seriesKey = `${trace.request.route}|${trace.request.method}|${trace.request.status}`;
    let counts = histograms.get(seriesKey);
    if (!counts) {
      counts = new Array(durationBounds.length + 1).fill(0);
      histograms.set(seriesKey, counts);
    }
    const bucket = durationBounds.findIndex((b) => trace.request.seconds <= b);
    counts[bucket === -1 ? durationBounds.length : bucket]!++;
    // Background jobs log at their own pace.
    while (backgroundLogs < (backgroundTarget() + backgroundLogs) * progress) {
      pendingLogs.push(backgroundLog(r, at));
      backgroundLogs++;
      facts.logs++;
    }
    if (pending.length >= 64) {
      // The gateway exports its spans now; a third of the other services' spans come later.
      const batch = new Map<string, Json[]>(deferred);
      deferred = new Map();
      for (const t of pending) {
        const late = r.chance(0.3);
        for (const [service, spans] of t.spans) {
          const target = late && service !== 'gateway' ? deferred : batch;
          target.set(service, [...(target.get(service) ?? []), ...spans]);
        }
      }
      pending = [];
      yield spanBatch(batch);
    }
    if (pendingLogs.length >= 512) {
      yield logBatch(pendingLogs);
      pendingLogs = [];
    }
    const now = Math.floor(at / 60_000);
    if (now > minute) {
      minute = now;
      for (const [service, bytes] of memory) memory.set(service, bytes + r.int(2e6) - 1e6);
      yield metricBatch(now * 60_000, options.startMs, histograms, orders, memory);
    }
  }
  if (pending.length > 0 || deferred.size > 0) {
    const batch = new Map(deferred);
    for (const t of pending) {
      for (const [service, spans] of t.spans)
        batch.set(service, [...(batch.get(service) ?? []), ...spans]);
    }
    yield spanBatch(batch);
  }
  while (facts.logs < options.logs) {
    pendingLogs.push(backgroundLog(r, options.endMs - r.int(60_000)));
    facts.logs++;
  }
  if (pendingLogs.length > 0) yield logBatch(pendingLogs);
}

function buildTrace(r: Random, startMs: number, facts: DatasetFacts): Trace {
  const traceId = r.bytes(16);
  const spans = new Map<string, Json[]>();
  const logs: Trace['logs'] = [];
  const entry = r.pick(
    routes,
    routes.map((route) => route.weight),
  );
  const failure = r.chance(0.03) ? r.pick(failures[entry.route] ?? [undefined]) : undefined;
  const userId = String(r.int(100_000));
  const orderId = String(100_000 + r.int(900_000));
  if (facts.userIds.length < 50 && r.chance(0.01)) facts.userIds.push(userId);
  const add = (service: string, span: Json) => {
    const list = spans.get(service);
    if (list) list.push(span);
    else spans.set(service, [span]);
  };

  // Returns the handler's end; its server span is written once its children are known.
  const handle = (
    service: string,
    method: string,
    route: string,
    queries: string[],
    calls: Call[],
    parent: Buffer | undefined,
    at: number,
  ): { end: number; status: number } => {
    const spanId = r.bytes(8);
    let cursor = at + r.duration(0.4, 0.3);
    const failsHere = failure?.service === service ? failure : undefined;
    let upstream = 0;
    for (const statement of queries) {
      const duration = r.duration(statement.startsWith('SELECT') ? 2 : 4);
      const [operation, table] = statement.split(' ') as [string, string];
      const dbFails = failsHere?.chain[0] === 'DatabaseError';
      add(service, {
        traceId,
        spanId: r.bytes(8),
        parentSpanId: spanId,
        name: statement,
        kind: client,
        startTimeUnixNano: ns(cursor),
        endTimeUnixNano: ns(cursor + duration),
        attributes: [
          str('db.system.name', 'postgresql'),
          str('db.operation.name', operation),
          str('db.collection.name', table),
          str('db.query.text', `${operation} … FROM ${table} WHERE id = $1`),
        ],
        status: dbFails ? { code: 2, message: 'deadlock detected' } : {},
      });
      cursor += duration + r.duration(0.1, 0.3);
    }
    if (service === 'inventory' && r.chance(0.5)) {
      const duration = r.duration(0.3);
      add(service, {
        traceId,
        spanId: r.bytes(8),
        parentSpanId: spanId,
        name: 'cache.get',
        kind: internal,
        startTimeUnixNano: ns(cursor),
        endTimeUnixNano: ns(cursor + duration),
        attributes: [
          str('cache.key', `stock:${r.int(5000)}`),
          { key: 'cache.hit', value: { boolValue: r.chance(0.8) } },
        ],
      });
      cursor += duration;
    }
    for (const call of calls) {
      const clientId = r.bytes(8);
      const callStart = cursor;
      const result = handle(
        call.service,
        call.method,
        call.route,
        call.queries,
        call.calls,
        clientId,
        callStart + 0.3,
      );
      const callEnd = result.end + r.duration(0.3, 0.3);
      add(service, {
        traceId,
        spanId: clientId,
        parentSpanId: spanId,
        name: `${call.method} ${call.route}`,
        kind: client,
        startTimeUnixNano: ns(callStart),
        endTimeUnixNano: ns(callEnd),
        attributes: [
          str('http.request.method', call.method),
          str('server.address', call.service),
          str(
            'url.full',
            `http://${call.service}:8080${call.route.replace(':id', String(r.int(5000)))}`,
          ),
          int('http.response.status_code', result.status),
        ],
        status: result.status >= 500 ? { code: 2 } : {},
      });
      cursor = callEnd;
      if (result.status >= 500) upstream = result.status;
    }
    // A payment gateway that does not answer holds the request for its 3 s timeout.
    if (failsHere?.chain.at(-1) === 'TimeoutError') cursor += 3000;
    const events: Json[] = [];
    let message = '';
    let status = 200;
    if (failsHere) {
      status = failsHere.status;
      message = failsHere.message(r);
      const chain = failsHere.chain;
      events.push({
        timeUnixNano: ns(cursor),
        name: 'exception',
        attributes: [
          str('exception.type', chain[0]!),
          str('exception.message', message),
          str(
            'exception.stacktrace',
            `${chain[0]}: ${message}\n    at handle (${service}/handler.ts:42:11)`,
          ),
          {
            key: 'exception.chain.types',
            value: { arrayValue: { values: chain.map((t) => ({ stringValue: t })) } },
          },
        ],
      });
      logs.push({
        service,
        log: logRecord(cursor, 17, `request failed: ${message}`, traceId, spanId, [
          str('http.route', route),
        ]),
      });
    } else if (upstream) {
      // Services on the way up fail without an exception of their own.
      status = 502;
      message = `upstream answered ${upstream}`;
    }
    const failed = status >= 500;
    const end = cursor + r.duration(0.3, 0.3);
    add(service, {
      traceId,
      spanId,
      parentSpanId: parent,
      name: `${method} ${route}`,
      kind: server,
      startTimeUnixNano: ns(at),
      endTimeUnixNano: ns(end),
      attributes: [
        str('http.request.method', method),
        str('http.route', route),
        int('http.response.status_code', status),
        str('url.path', route.replace(':id', service === 'users' ? userId : String(r.int(5000)))),
        str('user.id', userId),
        ...(service === 'checkout' ? [str('order.id', orderId)] : []),
        str('client.address', `10.0.${r.int(4)}.${r.int(250)}`),
      ],
      events,
      status: failed ? { code: 2, message } : {},
    });
    if (service === 'checkout' && !failed && r.chance(0.6)) {
      if (facts.orderIds.length < 50 && r.chance(0.02)) facts.orderIds.push(orderId);
      logs.push({
        service,
        log: logRecord(end, 9, `order ${orderId} placed for user ${userId}`, traceId, spanId, [
          str('order.id', orderId),
          str('user.id', userId),
        ]),
      });
    }
    return { end, status };
  };

  const { end, status } = handle(
    'gateway',
    entry.method,
    entry.route,
    [],
    entry.calls,
    undefined,
    startMs,
  );
  if (r.chance(0.25)) {
    const root = spans.get('gateway')!.at(-1)!;
    logs.push({
      service: 'gateway',
      log: logRecord(
        end,
        9,
        `${entry.method} ${entry.route} ${status} in ${Math.round(end - startMs)} ms`,
        traceId,
        root.spanId as Buffer,
        [str('http.route', entry.route)],
      ),
    });
  }
  if (logs.length > 0 && facts.traceIds.length < 50 && r.chance(0.05)) {
    facts.traceIds.push(traceId.toString('hex'));
  }
  return {
    traceId,
    spans,
    logs,
    request: { route: entry.route, method: entry.method, status, seconds: (end - startMs) / 1000 },
  };
}

// One long trace of 1,000 spans (a batch job), as the trace page must show quickly.
function bigTrace(r: Random, startMs: number): Pick<Trace, 'traceId' | 'spans'> {
  const traceId = r.bytes(16);
  const rootId = r.bytes(8);
  const list: Json[] = [
    {
      traceId,
      spanId: rootId,
      name: 'nightly reindex',
      kind: internal,
      startTimeUnixNano: ns(startMs),
      endTimeUnixNano: ns(startMs + 5_000),
      attributes: [str('job.name', 'reindex')],
    },
  ];
  for (let i = 1; i < 1000; i++) {
    list.push({
      traceId,
      spanId: r.bytes(8),
      parentSpanId: rootId,
      name: `reindex batch ${i % 20}`,
      kind: internal,
      startTimeUnixNano: ns(startMs + i * 4),
      endTimeUnixNano: ns(startMs + i * 4 + 3),
      attributes: [int('batch.size', 500), str('batch.id', `b-${i}`)],
    });
  }
  return { traceId, spans: new Map([['search', list]]) };
}

function logRecord(
  atMs: number,
  severity: number,
  body: string,
  traceId: Buffer | undefined,
  spanId: Buffer | undefined,
  attributes: Json[],
): Json {
  return {
    timeUnixNano: ns(atMs),
    observedTimeUnixNano: ns(atMs + 1),
    severityNumber: severity,
    severityText:
      severity >= 17 ? 'ERROR' : severity >= 13 ? 'WARN' : severity >= 9 ? 'INFO' : 'DEBUG',
    body: { stringValue: body },
    attributes,
    ...(traceId ? { traceId, spanId } : {}),
  };
}

const jobs = ['cleanup-sessions', 'sync-prices', 'rebuild-sitemap', 'send-digest'];

function backgroundLog(r: Random, atMs: number): { service: string; log: Json } {
  const service = r.pick(services);
  const kind = r.pick(['cache', 'heartbeat', 'slow', 'job'], [45, 30, 15, 10]);
  if (kind === 'cache') {
    return {
      service,
      log: logRecord(atMs, 9, `cache refreshed: ${r.int(5000)} products`, undefined, undefined, [
        str('code.function', 'refreshCache'),
      ]),
    };
  }
  if (kind === 'heartbeat') {
    return {
      service,
      log: logRecord(atMs, 5, `heartbeat from worker ${r.int(8)}`, undefined, undefined, [
        int('worker.id', r.int(8)),
      ]),
    };
  }
  if (kind === 'slow') {
    const table = r.pick(['orders', 'users', 'stock', 'charges']);
    return {
      service,
      log: logRecord(
        atMs,
        13,
        `slow query on table ${table} took ${200 + r.int(2000)} ms`,
        undefined,
        undefined,
        [str('db.collection.name', table)],
      ),
    };
  }
  const job = r.pick(jobs);
  return {
    service,
    log: logRecord(atMs, 17, `job ${job} failed: connection reset by peer`, undefined, undefined, [
      str('job.name', job),
    ]),
  };
}

const resource = (service: string) => ({
  attributes: [
    str('service.name', service),
    str('service.version', '2.4.1'),
    str('deployment.environment.name', 'staging'),
    str('host.name', `${service}-7f9c`),
  ],
});

function spanBatch(byService: Map<string, Json[]>): ExportBatch {
  const request = loadOtlpSchema().traces.request.fromObject({
    resourceSpans: [...byService].map(([service, spans]) => ({
      resource: resource(service),
      scopeSpans: [
        { scope: { name: '@opentelemetry/instrumentation-http', version: '0.301.0' }, spans },
      ],
    })),
  });
  return requestRecords('traces', request, maxAgeMs);
}

function logBatch(logs: { service: string; log: Json }[]): ExportBatch {
  const byService = new Map<string, Json[]>();
  for (const { service, log } of logs)
    byService.set(service, [...(byService.get(service) ?? []), log]);
  const request = loadOtlpSchema().logs.request.fromObject({
    resourceLogs: [...byService].map(([service, logRecords]) => ({
      resource: resource(service),
      scopeLogs: [{ scope: { name: 'pino' }, logRecords }],
    })),
  });
  return requestRecords('logs', request, maxAgeMs);
}

function metricBatch(
  atMs: number,
  startMs: number,
  histograms: Map<string, number[]>,
  orders: number,
  memory: Map<string, number>,
): ExportBatch {
  const time = { startTimeUnixNano: ns(startMs), timeUnixNano: ns(atMs) };
  const durationPoints = [...histograms].map(([key, counts]) => {
    const [route, method, status] = key.split('|') as [string, string, string];
    return {
      ...time,
      attributes: [
        str('http.route', route),
        str('http.request.method', method),
        int('http.response.status_code', Number(status)),
      ],
      count: String(counts.reduce((a, b) => a + b, 0)),
      bucketCounts: counts.map(String),
      explicitBounds: durationBounds,
    };
  });
  const request = loadOtlpSchema().metrics.request.fromObject({
    resourceMetrics: [
      ...[...memory].map(([service, bytes]) => ({
        resource: resource(service),
        scopeMetrics: [
          {
            scope: { name: 'runtime' },
            metrics: [
              {
                name: 'process.memory.usage',
                unit: 'By',
                gauge: { dataPoints: [{ ...time, asInt: String(bytes) }] },
              },
              ...(service === 'gateway'
                ? [
                    {
                      name: 'http.server.request.duration',
                      unit: 's',
                      histogram: { aggregationTemporality: 2, dataPoints: durationPoints },
                    },
                  ]
                : []),
              ...(service === 'checkout'
                ? [
                    {
                      name: 'orders.placed',
                      unit: '{order}',
                      sum: {
                        aggregationTemporality: 2,
                        isMonotonic: true,
                        dataPoints: [{ ...time, asInt: String(orders) }],
                      },
                    },
                  ]
                : []),
            ],
          },
        ],
      })),
    ],
  });
  return requestRecords('metrics', request, maxAgeMs);
}

/** Facts to fill while generating. */
export function emptyFacts(): DatasetFacts {
  return { spans: 0, logs: 0, traces: 0, userIds: [], orderIds: [], traceIds: [], bigTraceId: '' };
}
