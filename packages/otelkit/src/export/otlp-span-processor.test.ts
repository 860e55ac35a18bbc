import { spawn } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { context, metrics, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { isTracingSuppressed } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { SOURCE_NODE_FLAGS } from '../test-support/source-node.ts';
import { OtlpSpanProcessor } from './otlp-span-processor.ts';
import { type FakeOtlpBackend, startFakeOtlpBackend } from './test-support/fake-otlp-backend.ts';
import { canonical, decodeRequest } from './test-support/otlp-messages.ts';
import { selfMetrics } from './test-support/self-metrics.ts';

let backend: FakeOtlpBackend | undefined;
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await backend?.stop();
  backend = undefined;
});

function track(processor: OtlpSpanProcessor): OtlpSpanProcessor {
  cleanups.push(() => processor.shutdown().catch(() => {}));
  return processor;
}

describe('OtlpSpanProcessor', () => {
  it('sends spans that decode to what the official serializer makes of the same spans', async () => {
    backend = await startFakeOtlpBackend();
    const memory = new InMemorySpanExporter();
    const processor = track(new OtlpSpanProcessor({ url: backend.url }));
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'differential', 'host.cores': 2 }),
      spanProcessors: [processor, new SimpleSpanProcessor({ exporter: memory })],
    });
    const api = provider.getTracer('api', '2.1.0', {
      schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
    });
    const db = provider.getTracer('db');
    const server = api.startSpan('GET /users/:id', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        tags: ['a', 'b'],
      },
    });
    const query = db.startSpan('SELECT users', {
      kind: SpanKind.CLIENT,
      links: [{ context: server.spanContext(), attributes: { 'link.reason': 'caused by' } }],
    });
    query.addEvent('rows', { count: 3, ratio: 0.5, flag: true });
    query.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock' });
    query.end();
    server.end();
    await processor.forceFlush();

    const [request] = backend.requests;
    const ours = canonical('traces', decodeRequest('traces', request!.body));
    const official = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans() as never)!;
    expect(ours).toEqual(canonical('traces', decodeRequest('traces', official)));
  });

  it('sends a request once maxRequestBytes are pending, without waiting for the interval', async () => {
    backend = await startFakeOtlpBackend();
    const processor = track(
      new OtlpSpanProcessor({
        url: backend.url,
        maxRequestBytes: 2000,
        flushIntervalMs: 3_600_000,
      }),
    );
    const tracer = new TracerProvider({ spanProcessors: [processor] }).getTracer('size');
    for (let i = 0; i < 40; i++) tracer.startSpan(`span ${i}`).end();

    await backend.receivedAtLeast(1);
    expect(backend.requests[0]!.body.length).toBeGreaterThanOrEqual(2000);
  });

  it('sends what is pending every flushIntervalMs', async () => {
    backend = await startFakeOtlpBackend();
    const processor = track(new OtlpSpanProcessor({ url: backend.url, flushIntervalMs: 20 }));
    const tracer = new TracerProvider({ spanProcessors: [processor] }).getTracer('interval');
    tracer.startSpan('alone').end();

    await backend.receivedAtLeast(1);
    expect(backend.requests[0]!.records).toBe(1);
  });

  it('compresses with gzip when asked, and sends the configured headers', async () => {
    backend = await startFakeOtlpBackend();
    const processor = track(
      new OtlpSpanProcessor({
        url: backend.url,
        compression: 'gzip',
        headers: { authorization: 'Bearer s3cret', 'x-tenant': 'blue' },
      }),
    );
    const tracer = new TracerProvider({ spanProcessors: [processor] }).getTracer('gzip');
    for (let i = 0; i < 50; i++) tracer.startSpan('compressible', { attributes: { i } }).end();
    await processor.forceFlush();

    const [request] = backend.requests;
    expect(request!.headers['content-encoding']).toBe('gzip');
    expect(request!.headers['content-type']).toBe('application/x-protobuf');
    expect(request!.headers.authorization).toBe('Bearer s3cret');
    expect(request!.headers['x-tenant']).toBe('blue');
    expect(request!.raw.length).toBeLessThan(request!.body.length);
    expect(request!.records).toBe(50);
    expect(JSON.stringify(processor.config)).not.toContain('s3cret');
  });

  it('sends its requests with tracing suppressed, so no instrumentation traces them', async () => {
    backend = await startFakeOtlpBackend();
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    cleanups.push(() => {
      context.disable();
    });
    const suppressed: boolean[] = [];
    const onRequest = () => suppressed.push(isTracingSuppressed(context.active()));
    subscribe('http.client.request.created', onRequest);
    cleanups.push(() => unsubscribe('http.client.request.created', onRequest));
    const processor = track(new OtlpSpanProcessor({ url: backend.url }));
    new TracerProvider({ spanProcessors: [processor] }).getTracer('quiet').startSpan('s').end();
    await processor.forceFlush();

    expect(suppressed).toEqual([true]);
  });

  it('waits for resource attributes still being detected, then sends them', async () => {
    backend = await startFakeOtlpBackend();
    let detect!: (value: string) => void;
    const resource = resourceFromAttributes({
      'service.name': 'late',
      'cloud.region': new Promise<string>((resolve) => {
        detect = resolve;
      }),
    });
    const processor = track(new OtlpSpanProcessor({ url: backend.url }));
    const tracer = new TracerProvider({ resource, spanProcessors: [processor] }).getTracer('r');
    tracer.startSpan('before detection').end();
    const flushed = processor.forceFlush();
    detect('eu-west-1');
    await flushed;

    const decoded = decodeRequest('traces', backend.requests[0]!.body) as {
      resourceSpans: {
        resource: { attributes: { key: string; value: { stringValue: string } }[] };
      }[];
    };
    const attributes = decoded.resourceSpans[0]!.resource.attributes;
    expect(attributes.find((a) => a.key === 'cloud.region')?.value.stringValue).toBe('eu-west-1');
  });

  it('reports its self-metrics to a global meter provider registered after it was made', async () => {
    backend = await startFakeOtlpBackend();
    const processor = track(new OtlpSpanProcessor({ url: backend.url }));
    const tracer = new TracerProvider({ spanProcessors: [processor] }).getTracer('late');
    tracer.startSpan('before the meter provider').end();
    const late = selfMetrics();
    metrics.setGlobalMeterProvider(late.meterProvider);
    cleanups.push(() => metrics.disable());
    tracer.startSpan('after').end();
    await processor.forceFlush();

    const accounting = await late.collect();
    expect(accounting.exported).toEqual({ '': 2 });
    const exported = accounting.points.find((p) => p.name === 'otel.sdk.exporter.span.exported');
    expect(exported?.attributes).toMatchObject({
      'otel.component.type': 'otlp_http_span_exporter',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(backend.url).port),
    });
    expect(String(exported?.attributes['otel.component.name'])).toMatch(
      /^otlp_http_span_exporter\/\d+$/,
    );
    const processed = accounting.points.find((p) => p.name === 'otel.sdk.processor.span.processed');
    expect(processed?.attributes['otel.component.type']).toBe('batching_span_processor');
    const names = new Set(accounting.points.map((p) => p.name));
    for (const name of [
      'otel.sdk.processor.span.queue.size',
      'otel.sdk.processor.span.queue.capacity',
      'otelkit.export.queue.bytes',
      'otel.sdk.exporter.span.inflight',
      'otel.sdk.exporter.operation.duration',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('records no self-metrics with selfMetrics: false', async () => {
    backend = await startFakeOtlpBackend();
    const meterProvider = new MeterProvider();
    const observed = selfMetrics();
    const processor = track(
      new OtlpSpanProcessor({
        url: backend.url,
        selfMetrics: false,
        meterProvider: observed.meterProvider,
      }),
    );
    new TracerProvider({ spanProcessors: [processor] }).getTracer('off').startSpan('s').end();
    await processor.forceFlush();

    expect((await observed.collect()).points).toEqual([]);
    await meterProvider.shutdown();
  });

  it('lets the process exit once shutdown resolves, even with a request still open', async () => {
    backend = await startFakeOtlpBackend();
    backend.answer = () => 'hang';
    const script = new URL('./test-support/exit-after-shutdown.ts', import.meta.url);
    const child = spawn(process.execPath, [...SOURCE_NODE_FLAGS, script.pathname, backend.url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(0);
    expect(output).toContain('shut down');
  });
});
