import {
  context,
  createContextKey,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { createTestTelemetry, type TestTelemetry } from 'otelkit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordError } from '../errors/record-error.ts';
import { withSpan } from './with-span.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
});
afterEach(() => telemetry.shutdown());

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('withSpan', () => {
  it('stamps start, end and recorded errors with sub-millisecond precision, in order', () => {
    for (let i = 0; i < 10; i++) {
      withSpan('parent', () => {
        withSpan('child', () => {
          recordError(new Error('noted'));
        });
      });
    }
    const toNs = (time: [number, number]) => BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
    const spans = telemetry.spans();
    expect(spans.some((span) => span.startTime[1] % 1_000_000 !== 0)).toBe(true);
    for (let i = 0; i < spans.length; i += 2) {
      const [child, parent] = [spans[i]!, spans[i + 1]!];
      expect(toNs(child.startTime)).toBeGreaterThanOrEqual(toNs(parent.startTime));
      expect(toNs(child.events[0]!.time)).toBeGreaterThanOrEqual(toNs(child.startTime));
      expect(toNs(child.endTime)).toBeGreaterThanOrEqual(toNs(child.events[0]!.time));
      expect(toNs(parent.endTime)).toBeGreaterThanOrEqual(toNs(child.endTime));
    }
  });

  it('runs fn in an active child span of the current context and ends it once', () => {
    let inner: Span | undefined;
    trace.getTracer('test').startActiveSpan('parent', (parent) => {
      withSpan('child', (span) => {
        inner = span;
        expect(trace.getActiveSpan()).toBe(span);
      });
      parent.end();
    });

    const child = telemetry.findSpan('child')!;
    const parent = telemetry.findSpan('parent')!;
    expect(child.spanContext().spanId).toBe(inner?.spanContext().spanId);
    expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(child.ended).toBe(true);
    expect(telemetry.spans().filter((s) => s.name === 'child')).toHaveLength(1);
  });

  it('keeps a sync fn sync and returns the very same value', () => {
    const value = { id: 1 };

    const result = withSpan('sync', () => value);

    expect(result).toBe(value);
    expect(telemetry.findSpan('sync')?.ended).toBe(true);
  });

  it('rethrows the very same error of a sync fn and records it', () => {
    const error = new TypeError('bad argument');

    let thrown: unknown;
    try {
      withSpan('sync failure', () => {
        throw error;
      });
    } catch (caught) {
      thrown = caught;
    }

    expect(thrown).toBe(error);
    const span = telemetry.findSpan('sync failure')!;
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad argument' });
    expect(span.attributes['error.type']).toBe('TypeError');
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('ends the span of a promise-returning fn only when the promise settles', async () => {
    const pending = deferred<{ rows: number }>();
    const value = { rows: 3 };

    const result = withSpan('async', () => pending.promise);
    expect(result).toBeInstanceOf(Promise);
    expect(telemetry.findSpan('async')).toBeUndefined();

    pending.resolve(value);
    expect(await result).toBe(value);
    expect(telemetry.findSpan('async')?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('rejects with the very same error and records it', async () => {
    const error = new Error('query timed out');

    await expect(
      withSpan('async failure', async () => {
        throw error;
      }),
    ).rejects.toBe(error);

    const span = telemetry.findSpan('async failure')!;
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'query timed out' });
    expect(span.events[0]?.attributes?.['exception.message']).toBe('query timed out');
  });

  it('passes non-Error throwables through unchanged', async () => {
    const thrown = { reason: 'not an error' };

    expect(() =>
      withSpan('string', () => {
        throw 'plain string';
      }),
    ).toThrow('plain string');
    await expect(withSpan('object', () => Promise.reject(thrown))).rejects.toBe(thrown);

    expect(telemetry.findSpan('string')?.status.message).toBe('plain string');
    expect(telemetry.findSpan('object')?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('keeps the span active across awaits inside fn', async () => {
    await withSpan('outer', async () => {
      await Promise.resolve();
      await withSpan('inner', async () => {});
    });

    const [root] = telemetry.spanTree();
    expect(root?.span.name).toBe('outer');
    expect(root?.children.map((node) => node.span.name)).toEqual(['inner']);
  });

  it('awaits thenables that are not promises', async () => {
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a promise is the point
      then(resolve: (value: number) => void) {
        resolve(7);
      },
    };

    expect(await withSpan('thenable', () => thenable)).toBe(7);
    expect(telemetry.findSpan('thenable')?.ended).toBe(true);
  });

  it('applies kind, attributes and links', () => {
    const linked = trace.getTracer('test').startSpan('linked');
    linked.end();

    withSpan('with options', () => {}, {
      kind: SpanKind.CONSUMER,
      attributes: { 'messaging.operation.name': 'process' },
      links: [{ context: linked.spanContext() }],
    });

    const span = telemetry.findSpan('with options')!;
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.attributes['messaging.operation.name']).toBe('process');
    expect(span.links.map((link) => link.context.spanId)).toEqual([linked.spanContext().spanId]);
  });

  it('starts a new trace with root, keeping the other context values', () => {
    const tenant = createContextKey('tenant');
    let seen: unknown;

    trace.getTracer('test').startActiveSpan('request', (request) => {
      context.with(context.active().setValue(tenant, 'acme'), () => {
        withSpan(
          'background',
          () => {
            seen = context.active().getValue(tenant);
          },
          { root: true },
        );
      });
      request.end();
    });

    const background = telemetry.findSpan('background')!;
    const request = telemetry.findSpan('request')!;
    expect(background.parentSpanContext).toBeUndefined();
    expect(background.spanContext().traceId).not.toBe(request.spanContext().traceId);
    expect(seen).toBe('acme');
  });

  it("uses the global provider's otelkit tracer unless given one", () => {
    withSpan('default', () => {});
    withSpan('custom', () => {}, { tracer: telemetry.tracerProvider.getTracer('billing') });

    expect(telemetry.findSpan('default')?.instrumentationScope.name).toBe('otelkit');
    expect(telemetry.findSpan('custom')?.instrumentationScope.name).toBe('billing');
  });

  it('traces with a provider registered after the first call, and with each new one', async () => {
    await telemetry.shutdown();
    expect(withSpan('before any provider', () => 'still runs')).toBe('still runs');

    telemetry = createTestTelemetry();
    withSpan('first provider', () => {});
    expect(telemetry.spans().map((s) => s.name)).toEqual(['first provider']);
    await telemetry.shutdown();

    telemetry = createTestTelemetry();
    withSpan('second provider', () => {});
    expect(telemetry.spans().map((s) => s.name)).toEqual(['second provider']);
  });
});
