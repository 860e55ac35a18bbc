import { SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchUnhandledRejections } from '../test-support/unhandled-rejections.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { requestId } from './context-key.ts';
import { currentSignal } from './current-signal.ts';
import { runDetached } from './run-detached.ts';
import { withTimeout } from './with-timeout.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
});
afterEach(async () => {
  vi.useRealTimers();
  await telemetry.shutdown();
});

const tracer = () => trace.getTracer('test');

describe('runDetached()', () => {
  it('starts a new trace whose span links to the request span and keeps the context values', async () => {
    const task = tracer().startActiveSpan('POST /signup', (span) =>
      requestId.with('req-1', () => {
        const detached = runDetached('send welcome email', async () => 'sent');
        span.end();
        return detached;
      }),
    );
    await expect(task).resolves.toBe('sent');
    const request = telemetry.findSpan('POST /signup')!;
    const email = telemetry.findSpan('send welcome email')!;
    expect(email.links.map((link) => link.context.spanId)).toEqual([request.spanContext().spanId]);
    expect(email.spanContext().traceId).not.toBe(request.spanContext().traceId);
    expect(email.parentSpanContext).toBeUndefined();
    expect(email.attributes).toMatchObject({ 'task.detached': true, 'request.id': 'req-1' });
  });

  it("outlives the request: the request's cancellation does not reach it", async () => {
    vi.useFakeTimers();
    let detached: Promise<boolean> | undefined;
    const request = withTimeout(100, async () => {
      detached = runDetached('rebuild search index', async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return currentSignal().aborted;
      });
      await new Promise(() => {});
    });
    const rejected = expect(request).rejects.toMatchObject({ name: 'TimeoutError' });
    await vi.advanceTimersByTimeAsync(100);
    await rejected;
    await vi.advanceTimersByTimeAsync(900);
    await expect(detached).resolves.toBe(false);
  });

  it("starts after the caller's synchronous code", () => {
    const order: string[] = [];
    void runDetached('task', () => {
      order.push('task');
    });
    order.push('caller');
    expect(order).toEqual(['caller']);
  });

  it('records and logs a failure, which never becomes an unhandled rejection', async () => {
    const watch = watchUnhandledRejections();
    try {
      const error = new Error('smtp down');
      runDetached('send receipt', async () => {
        throw error;
      });
      runDetached('sync failure', () => {
        throw new Error('bad template');
      });
      expect(await watch.settle()).toEqual([]);
      const span = telemetry.findSpan('send receipt')!;
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.events.map((e) => e.name)).toEqual(['exception']);
      const log = telemetry.logs().find((r) => r.body === 'detached task "send receipt" failed');
      expect(log?.attributes).toMatchObject({ 'exception.message': 'smtp down' });
      expect(log?.spanContext?.spanId).toBe(span.spanContext().spanId);
      expect(telemetry.findSpan('sync failure')?.status.code).toBe(SpanStatusCode.ERROR);
    } finally {
      watch.stop();
    }
  });

  it('still rejects for a caller who awaits it', async () => {
    const error = new Error('nope');
    await expect(runDetached('task', () => Promise.reject(error))).rejects.toBe(error);
  });
});
