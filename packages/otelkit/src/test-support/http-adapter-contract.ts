import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { hrTimeToNanoseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestId } from '../context/context-key.ts';
import type { OtelkitMiddlewareOptions } from '../http/http-server-options.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { eventually, rawRequest, request } from './http-client.ts';

/** A running app of one adapter, serving the routes the contract expects. */
export interface RunningApp {
  readonly url: string;
  /**
   * The ERROR lines the app's error logging wrote (its logger's level-50
   * JSON lines, or what it printed with `console.error`), oldest first; the
   * contract empties it between tests.
   */
  readonly errorLines: string[];
  close(): Promise<void>;
}

/** How an adapter's app logs and answers errors, for the contract's expectations. */
export interface ContractOptions {
  /** Whether the ERROR line carries the request's trace id (it goes through otelkit/pino). */
  readonly correlatedErrorLog: boolean;
  /** What a failing handler becomes with `recover: false`; not checked when absent. */
  readonly unrecovered?: Unrecovered;
}

/** The options every adapter's test app is built with. */
export const CONTRACT_OPTIONS: OtelkitMiddlewareOptions = {
  captureHeaders: ['x-tenant', 'Authorization', 'cookie'],
  sla: { 'GET /users/:id': 60_000 },
  ignore: ['/healthz'],
};

/** What `GET /users/:id` answers: what the handler saw of the telemetry. */
export function userBody(id: string): Record<string, unknown> {
  return {
    id,
    traceId: trace.getActiveSpan()?.spanContext().traceId,
    requestId: requestId.get(),
  };
}

/** What the throwing routes throw. */
export function databaseDown(): Error {
  return new Error('database down', { cause: new TypeError('connection refused') });
}

/** An error that asks for 418. */
export function teapot(): Error {
  return Object.assign(new Error('no coffee here'), { statusCode: 418 });
}

/** JSON lines of a pino destination at ERROR level or above, collected into `lines`. */
export function errorLineStream(lines: string[]): { write(line: string): void } {
  return {
    write(line: string) {
      if ((JSON.parse(line) as { level: number }).level >= 50) lines.push(line);
    },
  };
}

/**
 * What a failing handler becomes with `recover: false`: the framework's own
 * error answer, or (node:http, which has none) a rejection the process sees.
 */
export type Unrecovered = 'framework-answers' | 'process-rejection';

/**
 * The behaviours every HTTP adapter shares. `start` builds the adapter's app
 * with the given options (`CONTRACT_OPTIONS`, and with `recover: false` when
 * `unrecovered` says what happens then) and these routes: `GET /users/:id` (answers
 * `userBody(id)`), `GET /boom` (throws `databaseDown()`), `GET /reject`
 * (rejects with it), `GET /healthz` (`ok`), and `POST /echo` (reads the JSON
 * body, answers `{ size, traced }` where traced says whether a span was
 * active). Its `errorLines` collect what its error logging writes.
 */
export function describeAdapterContract(
  name: string,
  start: (options: OtelkitMiddlewareOptions) => Promise<RunningApp>,
  options: ContractOptions,
): void {
  describe(`${name}: shared HTTP behaviour`, () => {
    let telemetry: TestTelemetry;
    let app: RunningApp;
    beforeAll(async () => {
      telemetry = createTestTelemetry();
      app = await start(CONTRACT_OPTIONS);
    });
    afterAll(async () => {
      await app.close();
      await telemetry.shutdown();
    });
    beforeEach(() => {
      telemetry.reset();
      app.errorLines.length = 0;
    });
    afterEach(() => telemetry.reset());

    const serverSpans = () => telemetry.spans().filter((s) => s.kind === SpanKind.SERVER);
    const onlyServerSpan = () =>
      eventually(() => {
        const spans = serverSpans();
        expect(spans).toHaveLength(1);
        return spans[0]!;
      });

    it('records one server span with the semantic-convention attributes', async () => {
      const response = await request(`${app.url}/users/42?q=shoes&access_token=abc&Signature=xyz`, {
        headers: {
          'user-agent': 'contract-test/1.0',
          'x-tenant': 'acme',
          authorization: 'Bearer secret',
          cookie: 'session=secret',
        },
      });
      expect(response.status).toBe(200);
      const span = await onlyServerSpan();
      const port = Number(new URL(app.url).port);
      expect(span.name).toBe('GET /users/:id');
      expect(span.kind).toBe(SpanKind.SERVER);
      expect(span.attributes).toMatchObject({
        'http.request.method': 'GET',
        'url.path': '/users/42',
        'url.scheme': 'http',
        'url.query': 'q=shoes&access_token=REDACTED&Signature=REDACTED',
        'http.route': '/users/:id',
        'http.response.status_code': 200,
        'server.address': '127.0.0.1',
        'server.port': port,
        'client.address': '127.0.0.1',
        'user_agent.original': 'contract-test/1.0',
        'network.protocol.version': '1.1',
        'http.request.header.x-tenant': ['acme'],
        'sla.target_ms': 60_000,
        'sla.met': true,
      });
      expect(span.attributes).not.toHaveProperty('http.request.header.authorization');
      expect(span.attributes).not.toHaveProperty('http.request.header.cookie');
      expect(JSON.stringify(span.attributes)).not.toContain('secret');
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      const body = JSON.parse(response.body);
      expect(body.traceId).toBe(span.spanContext().traceId);
      expect(body.requestId).toBe(response.headers.get('x-request-id'));
      expect(span.attributes['request.id']).toBe(body.requestId);
    });

    it('stamps server spans with sub-millisecond start and end times', async () => {
      for (let i = 0; i < 10; i++) await request(`${app.url}/users/${i}`);
      const spans = await eventually(() => {
        const spans = serverSpans();
        expect(spans).toHaveLength(10);
        return spans;
      });
      const nanos = spans.map((span) => span.startTime[1]);
      expect(nanos.some((ns) => ns % 1_000_000 !== 0)).toBe(true);
      for (const span of spans) expect(hrTimeToNanoseconds(span.duration)).toBeGreaterThan(0);
    });

    it('continues an incoming W3C traceparent', async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parentId = '00f067aa0ba902b7';
      await request(`${app.url}/users/7`, {
        headers: { traceparent: `00-${traceId}-${parentId}-01` },
      });
      const span = await onlyServerSpan();
      expect(span.spanContext().traceId).toBe(traceId);
      expect(span.parentSpanContext?.spanId).toBe(parentId);
    });

    it('echoes the incoming x-request-id and puts it in the context', async () => {
      const response = await request(`${app.url}/users/1`, {
        headers: { 'x-request-id': 'req-abc-123' },
      });
      expect(response.headers.get('x-request-id')).toBe('req-abc-123');
      expect(JSON.parse(response.body).requestId).toBe('req-abc-123');
      expect((await onlyServerSpan()).attributes['request.id']).toBe('req-abc-123');
    });

    it('replaces a hostile x-request-id with a generated one', async () => {
      const response = await request(`${app.url}/users/1`, {
        headers: { 'x-request-id': `evil\tvalue${'x'.repeat(300)}` },
      });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it.each(['/boom', '/reject'])(
      'answers a failing handler (%s) with a safe 500, records the error and keeps serving',
      async (path) => {
        const response = await request(`${app.url}${path}`);
        expect(response.status).toBe(500);
        const span = await onlyServerSpan();
        expect(response.body).toBe(
          `{"error":"Internal Server Error","traceId":"${span.spanContext().traceId}"}`,
        );
        expect(span.status.code).toBe(SpanStatusCode.ERROR);
        expect(span.attributes['http.response.status_code']).toBe(500);
        expect(span.attributes['error.type']).toBeDefined();
        const exception = span.events.find((e) => e.name === 'exception');
        expect(exception?.attributes?.['exception.message']).toBe('database down');
        expect(exception?.attributes?.['exception.chain.messages']).toEqual([
          'database down',
          'connection refused',
        ]);
        telemetry.reset();
        const next = await request(`${app.url}/users/2`);
        expect(next.status).toBe(200);
      },
    );

    it.each(['/boom', '/reject'])(
      "logs a failing handler (%s) the framework's way: one ERROR line with the stack and the causes",
      async (path) => {
        await request(`${app.url}${path}`);
        const span = await onlyServerSpan();
        const [line, ...more] = await eventually(() => {
          expect(app.errorLines.length).toBeGreaterThan(0);
          return app.errorLines;
        });
        expect(more).toEqual([]);
        expect(line).toContain('database down');
        expect(line).toContain('connection refused');
        // A stack frame, printed or in a JSON string.
        expect(line).toMatch(/(?:\n|\\n) +at /);
        const traceId = span.spanContext().traceId;
        if (options.correlatedErrorLog) expect(line).toContain(traceId);
        else expect(line).not.toContain(traceId);
      },
    );

    it('writes no ERROR line for a request that succeeds', async () => {
      await request(`${app.url}/users/5`);
      await onlyServerSpan();
      expect(app.errorLines).toEqual([]);
    });

    it('names a request that matched no route by its method alone', async () => {
      const response = await request(`${app.url}/no/such/route`);
      expect(response.status).toBe(404);
      const span = await onlyServerSpan();
      expect(span.name).toBe('GET');
      expect(span.attributes).not.toHaveProperty('http.route');
      expect(span.attributes['http.response.status_code']).toBe(404);
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('records http.server.request.duration with bounded attributes only', async () => {
      await request(`${app.url}/users/99?x=1`, { headers: { 'user-agent': 'metric-test' } });
      await request(`${app.url}/boom`);
      await onlyServerSpanCount(2);
      const metric = await telemetry.findMetric('http.server.request.duration');
      expect(metric?.descriptor.unit).toBe('s');
      const points = metric?.dataPoints ?? [];
      const user = points.find((p) => p.attributes['http.route'] === '/users/:id');
      expect(user?.attributes).toEqual({
        'http.request.method': 'GET',
        'http.route': '/users/:id',
        'http.response.status_code': 200,
        'url.scheme': 'http',
      });
      const boom = points.find((p) => p.attributes['http.route'] === '/boom');
      expect(boom?.attributes).toMatchObject({
        'http.response.status_code': 500,
        'error.type': '500',
      });
      for (const point of points) {
        const keys = Object.keys(point.attributes);
        expect(keys).not.toContain('url.path');
        expect(keys).not.toContain('user_agent.original');
      }
      const value = user?.value as { buckets?: { boundaries: number[] } } | undefined;
      expect(value?.buckets?.boundaries).toEqual([
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
      ]);
    });

    it('leaves ignored requests without span or metric', async () => {
      const response = await request(`${app.url}/healthz`);
      expect(response.status).toBe(200);
      await request(`${app.url}/users/3`);
      await onlyServerSpan();
      const metric = await telemetry.findMetric('http.server.request.duration');
      const paths = (metric?.dataPoints ?? []).map((p) => p.attributes['http.route']);
      expect(paths).not.toContain('/healthz');
      expect(telemetry.spans().some((s) => s.attributes['url.path'] === '/healthz')).toBe(false);
    });

    it('keeps the server span active in a handler that reads a body', async () => {
      const response = await request(`${app.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hello: 'world' }),
      });
      expect(JSON.parse(response.body)).toEqual({ size: 1, traced: true });
      const span = await onlyServerSpan();
      expect(span.attributes['http.request.body.size']).toBe(17);
    });

    it('survives hostile input and keeps serving', async () => {
      const huge = `GET /users/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tenant: ${'a'.repeat(12_000)}\r\nConnection: close\r\n\r\n`;
      expect(await rawRequest(app.url, huge)).toMatch(/^HTTP\/1\.1 200/);
      const malformed =
        'GET /users/%E0%A4%A?x=%ZZ&token=%% HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n';
      expect(await rawRequest(app.url, malformed)).toMatch(/^HTTP\/1\.1 [2-5]\d\d/);
      const absolute =
        'GET http://127.0.0.1/users/5 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';
      expect(await rawRequest(app.url, absolute)).toMatch(/^HTTP\/1\.1 [2-5]\d\d/);
      const next = await request(`${app.url}/users/2`);
      expect(next.status).toBe(200);
    });

    async function onlyServerSpanCount(n: number): Promise<ReadableSpan[]> {
      return eventually(() => {
        const spans = serverSpans();
        expect(spans).toHaveLength(n);
        return spans;
      });
    }
  });
  if (options.unrecovered !== undefined) describeUnrecovered(name, start, options.unrecovered);
}

function describeUnrecovered(
  name: string,
  start: (options: OtelkitMiddlewareOptions) => Promise<RunningApp>,
  unrecovered: Unrecovered,
): void {
  describe(`${name} with recover: false`, () => {
    let telemetry: TestTelemetry;
    let app: RunningApp;
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    beforeAll(async () => {
      telemetry = createTestTelemetry();
      app = await start({ ...CONTRACT_OPTIONS, recover: false });
      process.on('unhandledRejection', onRejection);
    });
    afterAll(async () => {
      process.off('unhandledRejection', onRejection);
      await app.close();
      await telemetry.shutdown();
    });
    beforeEach(() => telemetry.reset());

    const failedSpan = () =>
      eventually(() => {
        const span = telemetry.spans().find((s) => s.kind === SpanKind.SERVER);
        expect(span).toBeDefined();
        return span!;
      });
    const expectRecorded = (span: ReadableSpan) => {
      const exception = span.events.find((e) => e.name === 'exception');
      expect(exception?.attributes?.['exception.chain.messages']).toEqual([
        'database down',
        'connection refused',
      ]);
    };

    if (unrecovered === 'framework-answers') {
      it.each(['/boom', '/reject'])(
        "leaves a failing handler (%s) to the framework's own answer, the error recorded",
        async (path) => {
          const response = await request(`${app.url}${path}`);
          expect(response.status).toBe(500);
          const span = await failedSpan();
          expect(response.body).not.toContain(span.spanContext().traceId);
          expect(span.status.code).toBe(SpanStatusCode.ERROR);
          expectRecorded(span);
          expect((await request(`${app.url}/users/3`)).status).toBe(200);
        },
      );
    } else {
      it('lets a rejecting handler reject, the error recorded first', async () => {
        const answered = await request(`${app.url}/reject`, {
          signal: AbortSignal.timeout(300),
        }).then(
          () => true,
          () => false,
        );
        expect(answered).toBe(false);
        await eventually(() => expect(rejections).toHaveLength(1));
        expect((rejections[0] as Error).message).toBe('database down');
        expectRecorded(await failedSpan());
      });
    }
  });
}
