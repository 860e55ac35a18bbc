import { getEventListeners } from 'node:events';
import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentSignal } from '../context/current-signal.ts';
import { withSignal } from '../context/with-signal.ts';
import { watchUnhandledRejections } from '../test-support/unhandled-rejections.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { TaskGroup } from './task-group.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
  vi.useFakeTimers();
});
afterEach(async () => {
  vi.useRealTimers();
  await telemetry.shutdown();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const never = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));

describe('TaskGroup', () => {
  it('resolves with the results in spawn order, whatever the finishing order', async () => {
    const group = new TaskGroup<string>();
    group.spawn('slow', async () => {
      await sleep(300);
      return 'a';
    });
    group.spawn('fast', async () => {
      await sleep(100);
      return 'b';
    });
    group.spawn('sync', () => 'c');
    const results = group.wait();
    await vi.advanceTimersByTimeAsync(300);
    await expect(results).resolves.toEqual(['a', 'b', 'c']);
  });

  it('never runs more than `concurrency` tasks of 100 at once', async () => {
    const group = new TaskGroup<number>({ concurrency: 4 });
    let running = 0;
    let peak = 0;
    for (let i = 0; i < 100; i++) {
      group.spawn(`task ${i}`, async () => {
        running++;
        peak = Math.max(peak, running);
        await sleep(1 + (i % 7));
        running--;
        return i;
      });
    }
    const results = group.wait();
    await vi.runAllTimersAsync();
    await expect(results).resolves.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(peak).toBe(4);
  });

  it('rejects with an AggregateError of every failure, after all tasks settled', async () => {
    const group = new TaskGroup({ name: 'import' });
    const first = new Error('row 3 invalid');
    const second = new Error('row 9 invalid');
    let finished = false;
    group.spawn('row 3', async () => {
      throw first;
    });
    group.spawn('row 9', () => {
      throw second;
    });
    group.spawn('row 10', async () => {
      await sleep(50);
      finished = true;
    });
    const outcome = group.wait().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    const error = (await outcome) as AggregateError;
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.errors).toEqual([first, second]);
    expect(error.message).toBe('2 of 3 tasks of the task group import failed');
    expect(finished).toBe(true);
  });

  it('with failFast, aborts the others with the first failure and skips queued tasks', async () => {
    const group = new TaskGroup({ concurrency: 2, failFast: true });
    const failure = new Error('payment declined');
    const reasons: unknown[] = [];
    const queued = vi.fn();
    group.spawn('reserve stock', async (signal) => {
      try {
        return await never(signal);
      } finally {
        reasons.push(signal.reason);
      }
    });
    group.spawn('charge card', async () => {
      await sleep(10);
      throw failure;
    });
    group.spawn('ship', queued);
    const outcome = group.wait().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(((await outcome) as AggregateError).errors).toEqual([failure]);
    expect(reasons).toEqual([failure]);
    expect(queued).not.toHaveBeenCalled();
    expect(group.signal.aborted).toBe(true);
  });

  it('runs each task in a child span of the spawning context, with its signal current', async () => {
    const signals: boolean[] = [];
    await trace.getTracer('test').startActiveSpan('batch', async (span) => {
      const group = new TaskGroup({ name: 'thumbnails' });
      group.spawn('thumb 1', async (signal) => {
        signals.push(currentSignal() === signal);
      });
      await group.wait();
      span.end();
    });
    const batch = telemetry.findSpan('batch');
    const task = telemetry.findSpan('thumb 1');
    expect(task?.parentSpanContext?.spanId).toBe(batch?.spanContext().spanId);
    expect(task?.attributes['task.group']).toBe('thumbnails');
    expect(signals).toEqual([true]);
  });

  it('records a failing task on its span', async () => {
    const group = new TaskGroup();
    group.spawn('fails', async () => {
      throw new Error('nope');
    });
    await group.wait().catch(() => {});
    expect(telemetry.findSpan('fails')?.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('never produces an unhandled rejection, even if wait() is never called', async () => {
    vi.useRealTimers();
    const watch = watchUnhandledRejections();
    try {
      const group = new TaskGroup({ concurrency: 1 });
      group.spawn('rejects', () => Promise.reject(new Error('async')));
      group.spawn('throws', () => {
        throw new Error('sync');
      });
      group.spawn('queued rejects', async () => {
        throw new Error('later');
      });
      expect(await watch.settle()).toEqual([]);
    } finally {
      watch.stop();
    }
  });

  it('follows the context signal, and leaves no listener on it once idle', async () => {
    const shutdown = new AbortController();
    const reason = new Error('shutting down');
    await withSignal(shutdown.signal, async () => {
      const group = new TaskGroup();
      group.spawn('quick', async () => 1);
      await group.wait();
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
      group.spawn('long', (signal) => never(signal));
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(1);
      const outcome = group.wait().catch((e: unknown) => e);
      shutdown.abort(reason);
      expect(((await outcome) as AggregateError).errors).toEqual([reason]);
    });
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('aborts and waits on Symbol.asyncDispose, without rejecting', async () => {
    const stopped: string[] = [];
    {
      await using group = new TaskGroup();
      group.spawn('worker', async (signal) => {
        await never(signal).catch(() => stopped.push('worker'));
      });
      group.spawn('fails', async () => {
        throw new Error('ignored by dispose');
      });
    }
    expect(stopped).toEqual(['worker']);
  });

  it('fails tasks spawned after an abort without running them', async () => {
    const controller = new AbortController();
    const reason = new Error('closed');
    controller.abort(reason);
    const group = new TaskGroup({ signal: controller.signal });
    const fn = vi.fn();
    group.spawn('late', fn);
    await expect(group.wait()).rejects.toMatchObject({ errors: [reason] });
    expect(fn).not.toHaveBeenCalled();
  });

  it('rejects an invalid concurrency', () => {
    expect(() => new TaskGroup({ concurrency: 0 })).toThrow(RangeError);
  });
});
