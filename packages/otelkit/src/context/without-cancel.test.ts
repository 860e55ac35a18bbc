import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { requestId } from './context-key.ts';
import { currentSignal } from './current-signal.ts';
import { withTimeout } from './with-timeout.ts';
import { withoutCancel } from './without-cancel.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
  vi.useFakeTimers();
});
afterEach(async () => {
  vi.useRealTimers();
  await telemetry.shutdown();
});

describe('withoutCancel()', () => {
  it("survives the parent's abort and keeps the trace id and context values", async () => {
    const tracer = trace.getTracer('test');
    let audit: Promise<{ aborted: boolean; traceId?: string; requestId?: string }> | undefined;
    const request = tracer.startActiveSpan('request', (span) =>
      requestId.with('req-9', () =>
        withTimeout(100, async () => {
          audit = withoutCancel(async () => {
            await new Promise((resolve) => setTimeout(resolve, 500));
            return {
              aborted: currentSignal().aborted,
              traceId: trace.getActiveSpan()?.spanContext().traceId,
              requestId: requestId.get(),
            };
          });
          await new Promise(() => {});
        }).finally(() => span.end()),
      ),
    );
    const rejected = expect(request).rejects.toMatchObject({ name: 'TimeoutError' });
    await vi.advanceTimersByTimeAsync(100);
    await rejected;
    await vi.advanceTimersByTimeAsync(400);
    const requestSpan = telemetry.findSpan('request');
    await expect(audit).resolves.toEqual({
      aborted: false,
      traceId: requestSpan?.spanContext().traceId,
      requestId: 'req-9',
    });
  });

  it('returns what fn returns, synchronously for a sync fn', () => {
    expect(withoutCancel(() => 42)).toBe(42);
  });
});
