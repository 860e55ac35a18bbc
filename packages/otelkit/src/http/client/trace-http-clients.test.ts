import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import {
  type Context,
  context,
  type MeterProvider,
  metrics,
  propagation,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { close, eventually, listen } from '../../test-support/http-client.ts';
import { createTestTelemetry, type TestTelemetry } from '../../testing/index.ts';
import { instrumentHandler } from '../adapters/node-http.ts';
import { HTTP_DURATION_BUCKETS } from '../duration-metric.ts';
import { traceHttpClients } from './index.ts';

/** `http.request`, the body read to its end. */
function httpGet(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, method }, (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs `fn` where tracing is suppressed: the test's own calls make no span. */
function untraced<T>(fn: () => T): T {
  return context.with(suppressTracing(context.active()), fn);
}

const client = (s: ReadableSpan) => s.kind === SpanKind.CLIENT;

/** The one client span `telemetry` has, failing (so that `eventually` retries) until it has it. */
function onlyClientSpan(from: TestTelemetry): ReadableSpan {
  const spans = from.spans().filter(client);
  expect(spans).toHaveLength(1);
  return spans[0]!;
}
const server = (s: ReadableSpan) => s.kind === SpanKind.SERVER;

let telemetry: TestTelemetry;
let untrace: () => void;
const servers: Server[] = [];

async function start(server: Server): Promise<string> {
  servers.push(server);
  return listen(server);
}

beforeEach(() => {
  telemetry = createTestTelemetry();
  untrace = traceHttpClients();
});
afterEach(async () => {
  untrace();
  await Promise.all(servers.splice(0).map(close));
  await telemetry.shutdown();
});

describe('a call from service A to service B', () => {
  let aUrl: string;
  let bUrl: string;

  beforeEach(async () => {
    bUrl = await start(
      createServer(
        instrumentHandler(
          (req, res) => {
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify({ traceparent: req.headers.traceparent }));
          },
          { route: () => '/orders/:id' },
        ),
      ),
    );
    aUrl = await start(
      createServer(
        instrumentHandler(
          async (req, res) => {
            const target = `${bUrl}/orders/7?token=s3cret&page=2`;
            const body =
              req.url === '/via-fetch'
                ? await (await fetch(target)).text()
                : (await httpGet(target)).body;
            res.end(body);
          },
          { route: (req) => req.url },
        ),
      ),
    );
  });

  it.each([
    ['fetch', '/via-fetch'],
    ['http.request', '/via-http'],
  ])('with %s is one trace: A server → A client → B server', async (_, path) => {
    const answer = await untraced(() => httpGet(`${aUrl}${path}`));
    const spans = await eventually(() => {
      const all = telemetry.spans();
      expect(all).toHaveLength(3);
      return all;
    });
    const [root, ...others] = telemetry.spanTree();
    expect(others).toEqual([]);
    expect(root!.span.name).toBe(`GET ${path}`);
    expect(root!.children).toHaveLength(1);
    const outgoing = root!.children[0]!;
    expect(outgoing.span.kind).toBe(SpanKind.CLIENT);
    expect(outgoing.span.name).toBe('GET');
    expect(outgoing.children.map((c) => c.span.name)).toEqual(['GET /orders/:id']);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);

    const { port } = new URL(bUrl);
    expect(outgoing.span.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': Number(port),
      'url.full': `${bUrl}/orders/7?token=REDACTED&page=2`,
      'http.response.status_code': 200,
    });
    expect(outgoing.span.attributes['error.type']).toBeUndefined();
    expect(outgoing.span.status.code).toBe(SpanStatusCode.UNSET);
    // B received the client span's context, not A's server span's.
    const received = JSON.parse(answer.body) as { traceparent: string };
    const { spanId, traceId } = outgoing.span.spanContext();
    expect(received.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('records network.peer.* for http.request, from the socket', async () => {
    await untraced(() => httpGet(`${aUrl}/via-http`));
    const span = await eventually(() => onlyClientSpan(telemetry));
    expect(span.attributes).toMatchObject({
      'network.peer.address': '127.0.0.1',
      'network.peer.port': Number(new URL(bUrl).port),
      'network.protocol.version': '1.1',
    });
  });
});

describe('trace headers', () => {
  let url: string;
  let received: IncomingMessage['headers'][];

  beforeEach(async () => {
    received = [];
    url = await start(
      createServer((req, res) => {
        received.push(req.headers);
        res.end('ok');
      }),
    );
  });

  const calls: [string, (url: string, headers?: Record<string, string>) => Promise<unknown>][] = [
    ['fetch', async (u, headers) => (await fetch(u, { headers })).text()],
    ['http.request', (u, headers) => httpGet(u, headers)],
  ];

  it.each(calls)('%s carries baggage from the global propagator', async (_, call) => {
    const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
    await context.with(propagation.setBaggage(context.active(), baggage), () => call(url));
    expect(received[0]!.baggage).toBe('tenant=acme');
    expect(received[0]!.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it.each(calls)('%s keeps a baggage header the caller set', async (_, call) => {
    const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
    await context.with(propagation.setBaggage(context.active(), baggage), () =>
      call(url, { baggage: 'tenant=mine' }),
    );
    expect(received[0]!.baggage).toBe('tenant=mine');
    expect(received[0]!.traceparent).toBeDefined();
  });

  it.each(calls)(
    '%s leaves a traceparent the caller set alone, and leaves the span to the caller',
    async (_, call) => {
      const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await call(url, { traceparent: own });
      expect(received[0]!.traceparent).toBe(own);
      await eventually(() => expect(telemetry.spans()).toEqual([]));
    },
  );
});

describe('what a span records', () => {
  let url: string;

  beforeEach(async () => {
    url = await start(
      createServer((req, res) => {
        if (req.url?.startsWith('/moved')) {
          const hops = Number(new URL(req.url, 'http://x').searchParams.get('hops'));
          res.writeHead(302, { location: hops > 1 ? `/moved?hops=${hops - 1}` : '/here' });
          res.end();
          return;
        }
        res.end(JSON.stringify({ method: req.method, tenant: req.headers['x-tenant'] }));
      }),
    );
  });

  it('removes credentials from url.full and redacts sensitive query values', async () => {
    const { port } = new URL(url);
    await httpGet(`http://user:pa55word@127.0.0.1:${port}/a?api_key=k1&sig=s2&q=shoes`);
    await (await fetch(`${url}/b?password=p3&X-Goog-Signature=s4&page=1`)).text();
    const spans = await eventually(() => {
      const found = telemetry.spans().filter(client);
      expect(found).toHaveLength(2);
      return found;
    });
    expect(spans.map((s) => s.attributes['url.full'])).toEqual([
      `${url}/a?api_key=REDACTED&sig=REDACTED&q=shoes`,
      `${url}/b?password=REDACTED&X-Goog-Signature=REDACTED&page=1`,
    ]);
    const everything = JSON.stringify(spans.map((s) => s.attributes));
    for (const secret of ['user', 'pa55word', 'k1', 's2', 'p3', 's4']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('counts the redirects fetch follows as resends of one call', async () => {
    const response = await fetch(`${url}/moved?hops=2`);
    await response.text();
    expect(response.redirected).toBe(true);
    const spans = await eventually(() => {
      const found = telemetry.spans().filter(client);
      expect(found).toHaveLength(3);
      return found;
    });
    expect(spans.map((s) => s.attributes['http.response.status_code'])).toEqual([302, 302, 200]);
    expect(spans.map((s) => s.attributes['http.request.resend_count'])).toEqual([undefined, 1, 2]);
    // Each hop is a span of its own, all children of the caller's context.
    expect(new Set(spans.map((s) => s.parentSpanContext?.spanId)).size).toBe(1);
  });

  it('counts no resend for a new call to a URL that redirected an earlier one', async () => {
    await (await fetch(`${url}/moved?hops=1`, { redirect: 'manual' })).text();
    await trace.getTracer('test').startActiveSpan('elsewhere', async (span) => {
      await (await fetch(`${url}/here`)).text();
      span.end();
    });
    const spans = await eventually(() => {
      const found = telemetry.spans().filter(client);
      expect(found).toHaveLength(2);
      return found;
    });
    expect(spans.map((s) => s.attributes['http.request.resend_count'])).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('names a span HTTP for a method outside the conventions', async () => {
    await httpGet(url, {}, 'PURGE');
    const span = await eventually(() => onlyClientSpan(telemetry));
    expect(span.name).toBe('HTTP');
    expect(span.attributes['http.request.method']).toBe('_OTHER');
    expect(span.attributes['http.request.method_original']).toBe('PURGE');
  });

  it('records http.client.request.duration in seconds with bounded attributes', async () => {
    await (await fetch(`${url}/x?id=1`)).text();
    await (await fetch(`${url}/x?id=2`)).text();
    await httpGet(`${url}/y`, {}, 'POST');
    await eventually(() => expect(telemetry.spans().filter(client)).toHaveLength(3));
    const metric = (await telemetry.findMetric(
      'http.client.request.duration',
    )) as HistogramMetricData;
    expect(metric.descriptor.unit).toBe('s');
    const { port } = new URL(url);
    const points = metric.dataPoints.map((p) => ({
      attributes: p.attributes,
      count: p.value.count,
    }));
    expect(points).toEqual(
      expect.arrayContaining([
        {
          attributes: {
            'http.request.method': 'GET',
            'server.address': '127.0.0.1',
            'server.port': Number(port),
            'http.response.status_code': 200,
          },
          count: 2,
        },
        {
          attributes: {
            'http.request.method': 'POST',
            'server.address': '127.0.0.1',
            'server.port': Number(port),
            'http.response.status_code': 200,
          },
          count: 1,
        },
      ]),
    );
    expect(points).toHaveLength(2);
    expect(metric.dataPoints[0]!.value.buckets.boundaries).toEqual(HTTP_DURATION_BUCKETS);
  });

  it('makes no span and adds no header where tracing is suppressed', async () => {
    const text = await untraced(async () => (await fetch(`${url}/q`)).text());
    await untraced(() => httpGet(`${url}/q`));
    expect(JSON.parse(text).method).toBe('GET');
    const metric = await telemetry.findMetric('http.client.request.duration');
    expect(metric?.dataPoints ?? []).toEqual([]);
    expect(telemetry.spans()).toEqual([]);
  });
});

describe('options', () => {
  let url: string;
  let traceparents: unknown[];

  beforeEach(async () => {
    traceparents = [];
    url = await start(
      createServer((req, res) => {
        traceparents.push(req.headers.traceparent);
        res.end('ok');
      }),
    );
  });

  it('ignores requests by origin, path, pattern and predicate: no span, no header', async () => {
    untrace();
    untrace = traceHttpClients({
      ignore: [new URL(url).origin, '/healthz', /\/internal\//],
    });
    await (await fetch(`${url}/anything`)).text();
    untrace();
    untrace = traceHttpClients({
      ignore: ['/healthz', /\/internal\//],
    });
    await (await fetch(`${url}/healthz?probe=1`)).text();
    await httpGet(`${url}/v1/internal/stats`);
    untrace();
    untrace = traceHttpClients({
      ignore: ({ method, path }) => method === 'DELETE' || path === '/x',
    });
    await httpGet(`${url}/x`);
    await httpGet(`${url}/cart`, {}, 'DELETE');
    await httpGet(`${url}/kept`);
    const spans = await eventually(() => {
      const found = telemetry.spans();
      expect(found).toHaveLength(1);
      return found;
    });
    expect(spans[0]!.attributes['url.full']).toBe(`${url}/kept`);
    expect(traceparents.filter((t) => t !== undefined)).toHaveLength(1);
  });

  it('records the listed request headers, never credentials', async () => {
    untrace();
    untrace = traceHttpClients({ captureHeaders: ['X-Tenant', 'authorization', 'x-api-key'] });
    const headers = { 'x-tenant': 'acme', authorization: 'Bearer t0ken', 'x-api-key': 'k3y' };
    await (await fetch(url, { headers })).text();
    await httpGet(url, headers);
    const spans = await eventually(() => {
      const found = telemetry.spans();
      expect(found).toHaveLength(2);
      return found;
    });
    for (const span of spans) {
      expect(span.attributes['http.request.header.x-tenant']).toEqual(['acme']);
      expect(JSON.stringify(span.attributes)).not.toMatch(/t0ken|k3y|authorization|api-key/);
    }
  });
});

it('traces with the provider registered after it was installed', async () => {
  const url = await start(createServer((_req, res) => res.end('ok')));
  await telemetry.shutdown();
  const later = createTestTelemetry();
  try {
    await (await fetch(url)).text();
    const span = await eventually(() => onlyClientSpan(later));
    expect(span.attributes['http.response.status_code']).toBe(200);
    expect(await later.findMetric('http.client.request.duration')).toBeDefined();
  } finally {
    await later.shutdown();
  }
});

it('keeps the span of the caller active around the call', async () => {
  const url = await start(createServer((_req, res) => res.end('ok')));
  let inside: Context | undefined;
  await trace.getTracer('test').startActiveSpan('caller', async (span) => {
    await (await fetch(url)).text();
    inside = context.active();
    span.end();
  });
  expect(trace.getSpan(inside!)?.spanContext().spanId).toBe(
    telemetry.findSpan('caller')!.spanContext().spanId,
  );
  const outgoing = await eventually(() => onlyClientSpan(telemetry));
  expect(outgoing.parentSpanContext?.spanId).toBe(
    telemetry.findSpan('caller')!.spanContext().spanId,
  );
  expect(telemetry.spans().filter(server)).toEqual([]);
});

it('never breaks a call when the tracer, the propagator or the meter throws', async () => {
  const url = await start(createServer((_req, res) => res.end('ok')));
  const broken = () => {
    throw new Error('telemetry bug');
  };
  const calls = async () => {
    expect(await (await fetch(url)).text()).toBe('ok');
    expect((await httpGet(url)).body).toBe('ok');
  };
  // The SDK's tracer fails: the calls go out untraced.
  trace.disable();
  trace.setGlobalTracerProvider({
    getTracer: () => ({ startSpan: broken, startActiveSpan: broken }),
  } as unknown as TracerProvider);
  await calls();
  // A working tracer, but propagation and metrics fail: the spans still end.
  trace.disable();
  trace.setGlobalTracerProvider(telemetry.tracerProvider);
  propagation.disable();
  propagation.setGlobalPropagator({
    inject: broken,
    extract: (ctx: Context) => ctx,
    fields: () => [],
  } as TextMapPropagator);
  metrics.disable();
  metrics.setGlobalMeterProvider({ getMeter: broken } as unknown as MeterProvider);
  await calls();
  await eventually(() => expect(telemetry.spans().filter(client)).toHaveLength(2));
});
