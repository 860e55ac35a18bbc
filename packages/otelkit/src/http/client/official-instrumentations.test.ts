import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { close, eventually, listen } from '../../test-support/http-client.ts';
import { startOtlpTraceSink } from '../../test-support/otlp-trace-sink.ts';
import { createTestTelemetry, type TestTelemetry } from '../../testing/index.ts';
import { traceHttpClients } from './index.ts';

let server: Server;
let url: string;
let received: IncomingHttpHeaders[];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(req.headers);
    res.end('ok');
  });
  url = await listen(server);
});
afterAll(() => close(server));
beforeEach(() => {
  received = [];
});

const clientSpans = (telemetry: TestTelemetry) =>
  telemetry.spans().filter((s) => s.kind === SpanKind.CLIENT);

/** The span id each request carried to the server, in order. */
const parentIds = () => received.map((headers) => String(headers.traceparent).split('-')[2]);

describe('with @opentelemetry/instrumentation-undici', () => {
  let telemetry: TestTelemetry;
  let instrumentation: UndiciInstrumentation | undefined;
  let untrace: (() => void) | undefined;

  /** Creates the instrumentation, which subscribes at once, as in an app. */
  function enableInstrumentation(): UndiciInstrumentation {
    instrumentation = new UndiciInstrumentation();
    instrumentation.setTracerProvider(telemetry.tracerProvider);
    instrumentation.setMeterProvider(telemetry.meterProvider);
    return instrumentation;
  }

  beforeEach(() => {
    telemetry = createTestTelemetry();
  });
  afterEach(async () => {
    instrumentation?.disable();
    instrumentation = undefined;
    untrace?.();
    await telemetry.shutdown();
  });

  async function callsTracedOnce(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await (await fetch(`${url}/call-${i}`)).text();
    const spans = await eventually(() => {
      const found = clientSpans(telemetry);
      expect(found).toHaveLength(count);
      return found;
    });
    for (const span of spans) {
      expect(span.instrumentationScope.name).toBe('@opentelemetry/instrumentation-undici');
    }
    // One traceparent per request (a second one would join into an invalid value), theirs.
    expect(parentIds()).toEqual(spans.map((s) => s.spanContext().spanId));
  }

  it('leaves each fetch to it when it was enabled first', async () => {
    enableInstrumentation();
    untrace = traceHttpClients();
    await callsTracedOnce(3);
  });

  it('leaves each fetch to it when it is enabled afterwards, from the first request on', async () => {
    untrace = traceHttpClients();
    enableInstrumentation();
    await callsTracedOnce(3);
  });

  it('traces fetch again once it is disabled', async () => {
    untrace = traceHttpClients();
    enableInstrumentation().disable();
    enableInstrumentation();
    await (await fetch(`${url}/theirs`)).text();
    instrumentation!.disable();
    await (await fetch(`${url}/ours`)).text();
    const spans = await eventually(() => {
      const found = clientSpans(telemetry);
      expect(found).toHaveLength(2);
      return found;
    });
    expect(spans.map((s) => s.instrumentationScope.name)).toEqual([
      '@opentelemetry/instrumentation-undici',
      'otelkit',
    ]);
    expect(parentIds()).toEqual(spans.map((s) => s.spanContext().spanId));
  });
});

describe('with @opentelemetry/instrumentation-http', () => {
  // It patches `http` when `http` is required after enable(): one instance for the file.
  const instrumentation = new HttpInstrumentation({ enabled: false });
  let http: typeof import('node:http');
  let telemetry: TestTelemetry;
  let untrace: () => void;

  beforeAll(() => {
    instrumentation.enable();
    http = createRequire(import.meta.url)('node:http');
  });
  afterAll(() => instrumentation.disable());
  beforeEach(() => {
    telemetry = createTestTelemetry();
    instrumentation.setTracerProvider(telemetry.tracerProvider);
    instrumentation.setMeterProvider(telemetry.meterProvider);
    untrace = traceHttpClients();
  });
  afterEach(async () => {
    untrace();
    await telemetry.shutdown();
  });

  it('leaves http.request to it: one client span, its own', async () => {
    await trace.getTracer('test').startActiveSpan('caller', async (caller) => {
      await new Promise<void>((resolve, reject) => {
        const req = http.get(`${url}/patched`, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
      });
      caller.end();
    });
    const spans = await eventually(() => {
      const found = clientSpans(telemetry);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(spans[0]!.instrumentationScope.name).toBe('@opentelemetry/instrumentation-http');
    expect(parentIds()).toEqual([spans[0]!.spanContext().spanId]);
    // fetch is not its business: otelkit traces that one.
    await (await fetch(`${url}/fetched`)).text();
    await eventually(() => expect(clientSpans(telemetry)).toHaveLength(2));
    expect(clientSpans(telemetry)[1]!.instrumentationScope.name).toBe('otelkit');
  });
});

describe.each([
  ['OTLP/protobuf', (endpoint: string) => new OTLPProtoTraceExporter({ url: endpoint })],
  ['OTLP/JSON', (endpoint: string) => new OTLPJsonTraceExporter({ url: endpoint })],
])('an official %s exporter', (_, exporter) => {
  it.each([
    ['simple', SimpleSpanProcessor],
    ['batch', BatchSpanProcessor],
  ])('sends without a span of its own (%s processor)', async (_, Processor) => {
    const sink = await startOtlpTraceSink();
    const processor = new Processor({ exporter: exporter(`${sink.url}/v1/traces`) });
    const telemetry = createTestTelemetry({ spanProcessors: [processor] });
    const untrace = traceHttpClients();
    try {
      trace.getTracer('test').startSpan('work').end();
      await processor.forceFlush();
      expect(sink.requests.map((r) => r.path)).toEqual(['/v1/traces']);
      expect(telemetry.spans().map((s) => s.name)).toEqual(['work']);
      // Nothing was traced: no span waits to be exported, no duration was recorded.
      await processor.forceFlush();
      expect(sink.requests).toHaveLength(1);
      expect(sink.requests[0]!.headers.traceparent).toBeUndefined();
      expect(await telemetry.findMetric('http.client.request.duration')).toBeUndefined();
    } finally {
      untrace();
      await telemetry.shutdown();
      await sink.close();
    }
  });
});
