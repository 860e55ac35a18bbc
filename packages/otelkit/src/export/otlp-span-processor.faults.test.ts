import { TraceFlags, type Tracer } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { captureWarnings } from '../test-support/exporters.ts';
import {
  type RejectionWatch,
  watchUnhandledRejections,
} from '../test-support/unhandled-rejections.ts';
import { isOtlpExportError, type OtlpExportError } from './otlp-export-error.ts';
import type { OtlpSpanProcessorOptions } from './otlp-export-options.ts';
import { OtlpSpanProcessor } from './otlp-span-processor.ts';
import { closedPort } from './test-support/closed-port.ts';
import { type FakeOtlpBackend, startFakeOtlpBackend } from './test-support/fake-otlp-backend.ts';
import { expectEveryRecordAccounted, selfMetrics } from './test-support/self-metrics.ts';

let backend: FakeOtlpBackend | undefined;
let rejections: RejectionWatch;
let warnings: ReturnType<typeof captureWarnings>;
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
  await backend?.stop();
  backend = undefined;
  warnings?.stop();
  rejections?.stop();
});

/** A processor on a real tracer provider, its self-metrics on a real meter provider. */
function pipeline(url: string, options: OtlpSpanProcessorOptions = {}) {
  rejections = watchUnhandledRejections();
  warnings = captureWarnings();
  const metrics = selfMetrics();
  const processor = new OtlpSpanProcessor({
    url,
    meterProvider: metrics.meterProvider,
    ...options,
  });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  cleanups.push(
    () => processor.shutdown(),
    () => metrics.meterProvider.shutdown(),
  );
  const tracer = provider.getTracer('faults', '1.0.0');
  return { processor, metrics, tracer };
}

function endSpans(tracer: Tracer, count: number): void {
  for (let i = 0; i < count; i++) {
    tracer
      .startSpan(`operation ${i % 3}`, {
        attributes: { 'http.request.method': 'GET', 'url.path': `/items/${i}`, 'item.index': i },
      })
      .end();
  }
}

async function rejection(promise: Promise<unknown>): Promise<OtlpExportError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isOtlpExportError(error)).toBe(true);
  return error as OtlpExportError;
}

/** Waits (a few ms at a time) until `condition` holds; the test timeout bounds it. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function expectNoUnhandledRejection(): Promise<void> {
  expect(await rejections.settle()).toEqual([]);
}

describe('OtlpSpanProcessor against a failing backend', () => {
  it('drops and counts a span larger than maxRequestBytes; the rest of its batch arrives whole', async () => {
    backend = await startFakeOtlpBackend();
    const { processor, metrics, tracer } = pipeline(backend.url, { maxRequestBytes: 64 * 1024 });
    endSpans(tracer, 5);
    tracer.startSpan('upload', { attributes: { body: 'x'.repeat(70_000) } }).end();
    endSpans(tracer, 5);

    await processor.forceFlush();
    await processor.shutdown();

    expect(backend.requests.every((request) => request.body.length <= 64 * 1024)).toBe(true);
    expect(backend.delivered).toBe(10);
    const accounting = await metrics.collect();
    expect(accounting.processed.too_large).toBe(1);
    expectEveryRecordAccounted(accounting, 11, 10);
    await expectNoUnhandledRejection();
    expect(warnings.messages.join('\n')).toContain('larger than maxRequestBytes (65536)');
  });

  it('counts every span as not exported when the connection is refused, and names the endpoint and the reason', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1/traces`;
    const { processor, metrics, tracer } = pipeline(url, { maxRetryTimeMs: 300, timeoutMs: 2000 });
    endSpans(tracer, 10);

    const error = await rejection(processor.forceFlush());
    expect(error.message).toContain(url);
    expect(error.reason).toBe('connection refused');
    expect(error.lost).toBe(10);
    await processor.shutdown();

    const accounting = await metrics.collect();
    expectEveryRecordAccounted(accounting, 10, 0);
    expect(accounting.exported).toEqual({ ECONNREFUSED: 10 });
    await expectNoUnhandledRejection(); // also lets the process warnings arrive
    expect(warnings.messages[0]).toContain(url);
    expect(warnings.messages[0]).toContain('connection refused');
    expect(warnings.messages[0]).toContain('retrying');
  });

  it('stops waiting for a backend nobody listens at once the process is ending', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1/traces`;
    // Retries and timeout far beyond the test's own timeout: only giving up can end the flush.
    const { processor, metrics, tracer } = pipeline(url, {
      maxRetryTimeMs: 600_000,
      timeoutMs: 600_000,
    });
    endSpans(tracer, 4);
    processor.processEnding(true);

    const error = await rejection(processor.forceFlush());
    expect(error.reason).toBe('connection refused');
    expect(error.lost).toBe(4);
    const accounting = await metrics.collect();
    expectEveryRecordAccounted(accounting, 4, 0);
    expect(accounting.exported).toEqual({ ECONNREFUSED: 4 });
    await expectNoUnhandledRejection();
    // The flush that ends the process reports the loss, once: nothing else is printed.
    expect(warnings.messages).toEqual([]);
  });

  it('keeps retrying a refused backend once the process goes on after all, and delivers when it is back', async () => {
    backend = await startFakeOtlpBackend();
    const { url } = backend;
    await backend.stop();
    const { processor, tracer } = pipeline(url, { maxRetryTimeMs: 600_000 });
    processor.processEnding(true);
    processor.processEnding(false);
    endSpans(tracer, 3);
    const flushed = processor.forceFlush();
    await until(() => warnings.messages.some((message) => message.includes('connection refused')));
    await backend.start();
    await flushed;
    expect(backend.delivered).toBe(3);
  });

  it('shuts down at once against a backend nobody listens at, naming it and the reason', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1/traces`;
    const { processor, tracer } = pipeline(url, { maxRetryTimeMs: 600_000, timeoutMs: 600_000 });
    endSpans(tracer, 2);
    const error = await rejection(processor.shutdown());
    expect(error.message).toContain(url);
    expect(error.reason).toBe('connection refused');
    expect(error.lost).toBe(2);
  });

  it('gives up on a backend that accepts and never answers after the timeout', async () => {
    backend = await startFakeOtlpBackend();
    backend.answer = () => 'hang';
    const { processor, metrics, tracer } = pipeline(backend.url, {
      timeoutMs: 200,
      maxRetryTimeMs: 0,
    });
    endSpans(tracer, 7);

    const error = await rejection(processor.forceFlush());
    expect(error.reason).toContain('timeout after 200 ms');
    await processor.shutdown().catch(() => {});

    const accounting = await metrics.collect();
    expectEveryRecordAccounted(accounting, 7, 0);
    expect(accounting.exported).toEqual({ timeout: 7 });
    await expectNoUnhandledRejection();
  });

  it('retries a 503 after its Retry-After and delivers', async () => {
    backend = await startFakeOtlpBackend();
    backend.answer = (_request, index) =>
      index === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 };
    const { processor, metrics, tracer } = pipeline(backend.url, {
      timeoutMs: 5000,
      maxRetryTimeMs: 5000,
    });
    endSpans(tracer, 12);

    await processor.forceFlush();
    await processor.shutdown();

    expect(backend.requests).toHaveLength(2);
    expect(backend.delivered).toBe(12);
    const accounting = await metrics.collect();
    expectEveryRecordAccounted(accounting, 12, 12);
    const failedAttempt = accounting.points.find(
      (point) =>
        point.name === 'otel.sdk.exporter.operation.duration' &&
        point.attributes['error.type'] === '503',
    );
    expect(failedAttempt?.attributes['http.response.status_code']).toBe(503);
    await expectNoUnhandledRejection();
  });

  it('retries a 429 with backoff and delivers', async () => {
    backend = await startFakeOtlpBackend();
    backend.answer = (_request, index) => (index < 2 ? { status: 429 } : { status: 200 });
    const { processor, metrics, tracer } = pipeline(backend.url, {
      timeoutMs: 5000,
      maxRetryTimeMs: 2000,
    });
    endSpans(tracer, 5);

    await processor.forceFlush();
    await processor.shutdown();

    expect(backend.requests).toHaveLength(3);
    expectEveryRecordAccounted(await metrics.collect(), 5, 5);
    await expectNoUnhandledRejection();
  });

  it('drops a request the backend rejects with 400, without retrying', async () => {
    backend = await startFakeOtlpBackend();
    backend.answer = () => ({ status: 400 });
    const { processor, metrics, tracer } = pipeline(backend.url, { maxRetryTimeMs: 5000 });
    endSpans(tracer, 4);

    const error = await rejection(processor.forceFlush());
    expect(error.reason).toBe('HTTP 400');
    expect(error.message).toContain(backend.url);
    await processor.shutdown();

    expect(backend.requests).toHaveLength(1);
    const accounting = await metrics.collect();
    expectEveryRecordAccounted(accounting, 4, 0);
    expect(accounting.exported).toEqual({ '400': 4 });
    await expectNoUnhandledRejection();
    expect(warnings.messages[0]).toContain('HTTP 400');
    expect(warnings.messages[0]).toContain('dropped');
  });

  it('counts the spans a partial success rejected', async () => {
    backend = await startFakeOtlpBackend();
    backend.answer = () => ({ status: 200, rejected: 3 });
    const { processor, metrics, tracer } = pipeline(backend.url);
    endSpans(tracer, 10);

    const error = await rejection(processor.forceFlush());
    expect(error.lost).toBe(3);
    expect(error.reason).toContain('rejected 3 of 10 spans');
    await processor.shutdown();

    const accounting = await metrics.collect();
    expectEveryRecordAccounted(accounting, 10, 7);
    expect(accounting.exported).toEqual({ '': 7, rejected: 3 });
    await expectNoUnhandledRejection();
  });

  it('delivers through a slow backend with never more requests in flight than allowed', async () => {
    backend = await startFakeOtlpBackend();
    backend.answer = () =>
      new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 150));
    const { processor, metrics, tracer } = pipeline(backend.url, {
      maxRequestBytes: 1500,
      maxConcurrentRequests: 2,
      timeoutMs: 10_000,
    });
    endSpans(tracer, 60);

    await processor.forceFlush();
    await processor.shutdown();

    expect(backend.requests.length).toBeGreaterThan(4);
    expect(backend.maxConcurrent).toBe(2);
    expectEveryRecordAccounted(await metrics.collect(), 60, 60);
    await expectNoUnhandledRejection();
  });

  it('delivers everything within the byte bound once a backend that was down comes up', async () => {
    backend = await startFakeOtlpBackend();
    await backend.stop();
    const { processor, metrics, tracer } = pipeline(backend.url, {
      maxQueueBytes: 4000,
      maxRequestBytes: 1000,
      maxRetryTimeMs: 60_000,
      timeoutMs: 5000,
    });
    endSpans(tracer, 100);
    await until(() => warnings.messages.some((message) => message.includes('connection refused')));
    await backend.start();

    await processor.shutdown(); // wakes the backoff: the retries go out now

    const accounting = await metrics.collect();
    const dropped = accounting.processed.queue_full ?? 0;
    expect(dropped).toBeGreaterThan(0);
    expect(backend.delivered).toBe(100 - dropped);
    expectEveryRecordAccounted(accounting, 100, backend.delivered);
    await expectNoUnhandledRejection();
  });

  it('returns from shutdown by its deadline while the backend hangs, counting what is left', async () => {
    backend = await startFakeOtlpBackend();
    backend.answer = () => 'hang';
    const { processor, metrics, tracer } = pipeline(backend.url, {
      timeoutMs: 300,
      maxRequestBytes: 1000,
      maxConcurrentRequests: 1,
    });
    endSpans(tracer, 40);

    const error = await rejection(processor.shutdown());
    expect(error.reason).toBe('timeout after 300 ms');
    expect(error.lost).toBe(40);

    const accounting = await metrics.collect();
    expectEveryRecordAccounted(accounting, 40, 0);
    expect(accounting.exported.timeout).toBeGreaterThan(0);
    expect(accounting.processed.timeout).toBeGreaterThan(0);
    await expectNoUnhandledRejection();
  });
});

describe('OtlpSpanProcessor accounting', () => {
  it('exports sampled spans only, as the official batch processor does', async () => {
    backend = await startFakeOtlpBackend();
    const { processor, metrics } = pipeline(backend.url);
    const provider = new TracerProvider({
      spanProcessors: [processor],
      sampler: { shouldSample: (_c, _t, name) => ({ decision: name === 'kept' ? 2 : 1 }) },
    });
    const tracer = provider.getTracer('sampling');
    tracer.startSpan('kept').end();
    const dropped = tracer.startSpan('recorded, not sampled');
    expect(dropped.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0);
    dropped.end();
    await processor.shutdown();

    expect(backend.delivered).toBe(1);
    expectEveryRecordAccounted(await metrics.collect(), 1, 1);
  });

  it('counts spans that end after shutdown as already_shutdown', async () => {
    backend = await startFakeOtlpBackend();
    const { processor, metrics, tracer } = pipeline(backend.url);
    endSpans(tracer, 2);
    await processor.shutdown();
    endSpans(tracer, 3);

    const accounting = await metrics.collect();
    expectEveryRecordAccounted(accounting, 5, 2);
    expect(accounting.processed.already_shutdown).toBe(3);
  });

  it('drops and counts the spans that would pass the byte bound, without blocking or throwing', async () => {
    backend = await startFakeOtlpBackend();
    backend.answer = () => 'hang';
    const { processor, metrics, tracer } = pipeline(backend.url, {
      maxQueueBytes: 2000,
      maxRequestBytes: 500,
      timeoutMs: 200,
    });
    endSpans(tracer, 3000); // one tick

    const accounting = await metrics.collect();
    expect(accounting.processed.queue_full).toBeGreaterThan(2900);
    await processor.shutdown().catch(() => {});
    expectEveryRecordAccounted(await metrics.collect(), 3000, 0);
  });

  it('loses no span of a burst of 3,000 in one tick with the default bounds', async () => {
    backend = await startFakeOtlpBackend();
    const { processor, metrics, tracer } = pipeline(backend.url);
    endSpans(tracer, 3000);
    await processor.shutdown();

    expect(backend.delivered).toBe(3000);
    expectEveryRecordAccounted(await metrics.collect(), 3000, 3000);
  });
});
