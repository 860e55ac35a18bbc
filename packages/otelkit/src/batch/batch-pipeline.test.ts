import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import { createTestTelemetry, type TestTelemetry } from 'otelkit/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SOURCE_NODE_FLAGS } from '../test-support/source-node.ts';
import { withSpan } from '../trace/with-span.ts';
import { BatchPipeline, type BatchPipelineOptions } from './batch-pipeline.ts';

let telemetry: TestTelemetry;
const pipelines: BatchPipeline<unknown>[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  telemetry = createTestTelemetry();
});
afterEach(async () => {
  await Promise.all(pipelines.splice(0).map((p) => p.close()));
  vi.useRealTimers();
  await telemetry.shutdown();
});

function pipeline<T>(options: Partial<BatchPipelineOptions<T>> = {}) {
  const batches: T[][] = [];
  const created = new BatchPipeline<T>({
    name: 'audit',
    process: (items) => {
      batches.push(items);
    },
    ...options,
  });
  pipelines.push(created as BatchPipeline<unknown>);
  return { pipeline: created, batches };
}

function batchSpans() {
  return telemetry.spans().filter((span) => span.name === 'batch audit');
}

describe('BatchPipeline', () => {
  it('processes a full batch at once, without waiting for the delay', async () => {
    const { pipeline: audit, batches } = pipeline<number>({ maxBatchSize: 3 });

    for (const n of [1, 2, 3, 4]) audit.push(n);
    await vi.advanceTimersByTimeAsync(0);

    expect(batches).toEqual([[1, 2, 3]]);
    expect(audit.size).toBe(1);
  });

  it('processes a partial batch once maxDelayMs has passed', async () => {
    const { pipeline: audit, batches } = pipeline<string>({ maxDelayMs: 500 });

    audit.push('a');
    audit.push('b');
    await vi.advanceTimersByTimeAsync(499);
    expect(batches).toEqual([]);

    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('runs each batch in a root span that links to the three spans that pushed its items', async () => {
    const { pipeline: audit } = pipeline<string>({ maxBatchSize: 3 });
    const pushers: Span[] = [];

    for (const user of ['ann', 'bob', 'cy']) {
      withSpan(`request ${user}`, (span) => {
        pushers.push(span);
        audit.push(user);
      });
    }
    await vi.advanceTimersByTimeAsync(0);

    const [batch] = batchSpans();
    expect(batch?.attributes['batch.size']).toBe(3);
    expect(batch?.parentSpanContext).toBeUndefined();
    expect(batch?.links.map((link) => link.context)).toEqual(
      pushers.map((span) => span.spanContext()),
    );
  });

  it('runs process with the batch span active and passes it in', async () => {
    let active: Span | undefined;
    let given: Span | undefined;
    const { pipeline: audit } = pipeline<number>({
      maxBatchSize: 1,
      process: (_items, batch) => {
        active = trace.getActiveSpan();
        given = batch.span;
      },
    });

    audit.push(1);
    await vi.advanceTimersByTimeAsync(0);

    expect(given).toBe(active);
    expect(batchSpans()[0]?.spanContext().spanId).toBe(given?.spanContext().spanId);
  });

  it('links items pushed outside any span to nothing, and caps links at maxLinks', async () => {
    const { pipeline: audit } = pipeline<number>({ maxBatchSize: 5, maxLinks: 2 });

    audit.push(0);
    for (const n of [1, 2, 3, 4]) withSpan('request', () => audit.push(n));
    await vi.advanceTimersByTimeAsync(0);

    expect(batchSpans()[0]?.attributes['batch.size']).toBe(5);
    expect(batchSpans()[0]?.links).toHaveLength(2);
  });

  it('returns false and counts a drop when the queue is full', async () => {
    const { pipeline: audit, batches } = pipeline<number>({ maxQueueSize: 2 });

    expect(audit.push(1)).toBe(true);
    expect(audit.push(2)).toBe(true);
    expect(audit.push(3)).toBe(false);
    expect(audit.push(4)).toBe(false);

    const dropped = await telemetry.findMetric('otelkit.batch.dropped');
    expect(
      ((dropped?.dataPoints ?? []) as DataPoint<number>[]).map((p) => [p.attributes, p.value]),
    ).toEqual([[{ 'batch.name': 'audit', 'batch.drop.reason': 'queue_full' }, 2]]);
    await audit.flush();
    expect(batches).toEqual([[1, 2]]);
  });

  it('records a failing batch on its span and goes on with the next one', async () => {
    const failure = new Error('store unavailable');
    let calls = 0;
    const { pipeline: audit } = pipeline<number>({
      maxBatchSize: 1,
      process: async () => {
        calls++;
        if (calls === 1) throw failure;
      },
    });

    audit.push(1);
    audit.push(2);
    await vi.advanceTimersByTimeAsync(0);

    const [first, second] = batchSpans();
    expect(first?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'store unavailable' });
    expect(first?.events[0]?.attributes?.['exception.message']).toBe('store unavailable');
    expect(second?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records a process that throws synchronously', async () => {
    const { pipeline: audit } = pipeline<number>({
      process: () => {
        throw new TypeError('bad batch');
      },
    });

    audit.push(1);
    await audit.flush();

    expect(batchSpans()[0]?.status.message).toBe('bad batch');
  });

  it('processes at most `concurrency` batches at a time', async () => {
    let running = 0;
    let most = 0;
    const { pipeline: audit } = pipeline<number>({
      maxBatchSize: 1,
      concurrency: 2,
      process: async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running--;
      },
    });

    for (const n of [1, 2, 3, 4, 5]) audit.push(n);
    await vi.advanceTimersByTimeAsync(100);

    expect(most).toBe(2);
    expect(batchSpans()).toHaveLength(5);
  });

  it('flush processes what is queued now and resolves when it is done', async () => {
    const { pipeline: audit, batches } = pipeline<number>({ maxBatchSize: 2 });

    for (const n of [1, 2, 3]) audit.push(n);
    await audit.flush();

    expect(batches).toEqual([[1, 2], [3]]);
    expect(audit.size).toBe(0);
  });

  it('close drains the queue, then refuses items and counts them as dropped', async () => {
    const { pipeline: audit, batches } = pipeline<number>();

    audit.push(1);
    await audit.close();

    expect(batches).toEqual([[1]]);
    expect(audit.push(2)).toBe(false);
    const dropped = await telemetry.findMetric('otelkit.batch.dropped');
    expect(((dropped?.dataPoints ?? []) as DataPoint<number>[])[0]?.attributes).toEqual({
      'batch.name': 'audit',
      'batch.drop.reason': 'closed',
    });
  });

  it('closes at the end of an await using scope', async () => {
    const batches: number[][] = [];
    {
      await using audit = new BatchPipeline<number>({
        name: 'audit',
        process: (items) => {
          batches.push(items);
        },
      });
      audit.push(1);
    }

    expect(batches).toEqual([[1]]);
  });

  it.each([
    ['maxBatchSize', 0],
    ['maxQueueSize', -1],
    ['concurrency', 1.5],
    ['maxDelayMs', Number.NaN],
  ])('rejects %s = %s', (option, value) => {
    expect(() => new BatchPipeline({ name: 'x', process: () => {}, [option]: value })).toThrow(
      RangeError,
    );
  });
});

describe('BatchPipeline timers', () => {
  it('never keep the process alive', async () => {
    vi.useRealTimers();
    const entry = fileURLToPath(new URL('../index.ts', import.meta.url));
    const script = `import { BatchPipeline } from ${JSON.stringify(entry)};
      const pipeline = new BatchPipeline({ name: 'idle', maxDelayMs: 3_600_000, process() {} });
      pipeline.push(1);`;
    const child = spawn(
      process.execPath,
      [...SOURCE_NODE_FLAGS, '--input-type=module', '-e', script],
      {
        stdio: 'inherit',
      },
    );

    const [code] = (await once(child, 'exit')) as [number];

    expect(code).toBe(0);
  });
});
