import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchUnhandledRejections } from '../test-support/unhandled-rejections.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { afterAbort } from './after-abort.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
});
afterEach(() => telemetry.shutdown());

describe('afterAbort()', () => {
  it('runs fn once when the signal aborts, in the context of the call', () => {
    const controller = new AbortController();
    const spans: (string | undefined)[] = [];
    trace.getTracer('test').startActiveSpan('upload', (span) => {
      afterAbort(controller.signal, () => {
        spans.push(trace.getActiveSpan()?.spanContext().spanId);
      });
      span.end();
    });
    controller.abort();
    controller.abort();
    expect(spans).toEqual([telemetry.findSpan('upload')?.spanContext().spanId]);
  });

  it('runs fn at once when the signal has already aborted', () => {
    const fn = vi.fn();
    afterAbort(AbortSignal.abort(), fn);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('stop() prevents the run and says so: true once, then false', () => {
    const controller = new AbortController();
    const fn = vi.fn();
    const stop = afterAbort(controller.signal, fn);
    expect(stop()).toBe(true);
    expect(stop()).toBe(false);
    controller.abort();
    expect(fn).not.toHaveBeenCalled();
  });

  it('stop() returns false once fn has run', () => {
    const controller = new AbortController();
    const stop = afterAbort(controller.signal, () => {});
    controller.abort();
    expect(stop()).toBe(false);
  });

  it('records and logs a failing fn instead of throwing into the code that aborted', async () => {
    const watch = watchUnhandledRejections();
    try {
      const controller = new AbortController();
      afterAbort(controller.signal, () => {
        throw new Error('cleanup broke');
      });
      afterAbort(controller.signal, async () => {
        throw new Error('async cleanup broke');
      });
      expect(() => controller.abort()).not.toThrow();
      expect(await watch.settle()).toEqual([]);
      expect(telemetry.logs().map((r) => r.attributes['exception.message'])).toEqual([
        'cleanup broke',
        'async cleanup broke',
      ]);
    } finally {
      watch.stop();
    }
  });
});
