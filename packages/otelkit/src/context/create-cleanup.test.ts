import { getEventListeners } from 'node:events';
import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchUnhandledRejections } from '../test-support/unhandled-rejections.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { type Cleanup, createCleanup } from './create-cleanup.ts';
import { withTimeout } from './with-timeout.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
});
afterEach(async () => {
  vi.useRealTimers();
  await telemetry.shutdown();
});

describe('createCleanup()', () => {
  it('runs every cleanup once, last first, when disposed with await using', async () => {
    const order: string[] = [];
    {
      await using cleanup = createCleanup();
      cleanup.defer(() => {
        order.push('close db');
      });
      cleanup.use({ [Symbol.dispose]: () => order.push('release lock') });
      cleanup.adopt('tmp/dir', async (dir) => {
        order.push(`remove ${dir}`);
      });
    }
    expect(order).toEqual(['remove tmp/dir', 'release lock', 'close db']);
  });

  it('runs once on abort, LIFO, with two failures reported together on the span', async () => {
    const watch = watchUnhandledRejections();
    try {
      const controller = new AbortController();
      const order: string[] = [];
      let cleanup!: Cleanup;
      const span = trace.getTracer('test').startActiveSpan('import', (span) => {
        cleanup = createCleanup(controller.signal);
        cleanup.defer(() => {
          order.push('first');
        });
        cleanup.defer(() => {
          order.push('second');
          throw new Error('second failed');
        });
        cleanup.defer(async () => {
          order.push('third');
          throw new Error('third failed');
        });
        controller.abort();
        controller.abort();
        return span;
      });
      const error = await cleanup.disposeAsync().then(
        () => undefined,
        (e: unknown) => e,
      );
      await cleanup.disposeAsync().catch(() => {});
      span.end();
      expect(order).toEqual(['third', 'second', 'first']);
      expect(error).toBeInstanceOf(AggregateError);
      expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual([
        'third failed',
        'second failed',
      ]);
      expect(cleanup.disposed).toBe(true);
      const event = telemetry.findSpan('import')?.events.find((e) => e.name === 'exception');
      expect(event?.attributes?.['exception.chain.messages']).toEqual([
        '2 cleanup steps failed',
        'third failed',
        'second failed',
      ]);
      expect(telemetry.logs()).toHaveLength(1);
      expect(await watch.settle()).toEqual([]);
    } finally {
      watch.stop();
    }
  });

  it('rethrows a single failure unchanged, after running the other steps', async () => {
    const error = new Error('flush failed');
    const ran: string[] = [];
    const cleanup = createCleanup();
    cleanup.defer(() => {
      ran.push('close');
    });
    cleanup.defer(() => {
      throw error;
    });
    await expect(cleanup.disposeAsync()).rejects.toBe(error);
    expect(ran).toEqual(['close']);
  });

  it('follows the context signal by default: a deadline runs the cleanups', async () => {
    vi.useFakeTimers();
    const released: string[] = [];
    const run = withTimeout(1_000, async () => {
      const cleanup = createCleanup();
      cleanup.defer(() => {
        released.push('connection');
      });
      await new Promise(() => {});
    });
    const rejected = expect(run).rejects.toMatchObject({ name: 'TimeoutError' });
    await vi.advanceTimersByTimeAsync(1_000);
    await rejected;
    expect(released).toEqual(['connection']);
  });

  it('stops listening to the signal once disposed', async () => {
    const controller = new AbortController();
    const cleanup = createCleanup(controller.signal);
    const fn = vi.fn();
    cleanup.defer(fn);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await cleanup.disposeAsync();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('on a signal that has already aborted, runs the steps registered in the same tick', async () => {
    const ran: string[] = [];
    const cleanup = createCleanup(AbortSignal.abort());
    cleanup.defer(() => {
      ran.push('release');
    });
    expect(ran).toEqual([]);
    await Promise.resolve();
    await cleanup.disposeAsync();
    expect(ran).toEqual(['release']);
  });

  it('rejects values that are not disposable', () => {
    const cleanup = createCleanup();
    expect(() => cleanup.use({} as Disposable)).toThrow(TypeError);
    expect(cleanup.use(null)).toBeNull();
  });
});
