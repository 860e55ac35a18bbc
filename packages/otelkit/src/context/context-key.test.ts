import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { createContextKey, requestId, tenantId, userId, withAttributes } from './context-key.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
});
afterEach(() => telemetry.shutdown());

const tracer = () => trace.getTracer('test');

describe('createContextKey()', () => {
  it('holds a typed value for the code run inside with()', async () => {
    const orderId = createContextKey<string>('order id');
    expect(orderId.get()).toBeUndefined();
    const seen = await orderId.with('o-1', async () => {
      await Promise.resolve();
      return orderId.get();
    });
    expect(seen).toBe('o-1');
    expect(orderId.get()).toBeUndefined();
  });

  it('returns what fn returns, synchronously for a sync fn', () => {
    const key = createContextKey<number>('n');
    expect(key.with(1, () => 'sync')).toBe('sync');
  });

  it('derives a new context with set() and leaves the original untouched', () => {
    const key = createContextKey<{ plan: string }>('account');
    const ctx = key.set(ROOT_CONTEXT, { plan: 'pro' });
    expect(key.get(ctx)).toEqual({ plan: 'pro' });
    expect(key.get(ROOT_CONTEXT)).toBeUndefined();
  });

  it('keeps two keys with the same name apart', () => {
    const a = createContextKey<string>('same');
    const b = createContextKey<string>('same', { spanAttribute: 'same' });
    a.with('a', () =>
      b.with('b', () => {
        expect(a.get()).toBe('a');
        expect(b.get()).toBe('b');
      }),
    );
  });

  it('gives every span started while the key holds a value its span attribute', () => {
    const region = createContextKey<string>('region', { spanAttribute: 'cloud.region' });
    region.with('eu-west-1', () => {
      tracer().startActiveSpan('outer', (outer) => {
        tracer().startSpan('inner').end();
        outer.end();
      });
    });
    tracer().startSpan('outside').end();
    expect(telemetry.findSpan('outer')?.attributes['cloud.region']).toBe('eu-west-1');
    expect(telemetry.findSpan('inner')?.attributes['cloud.region']).toBe('eu-west-1');
    expect(telemetry.findSpan('outside')?.attributes).not.toHaveProperty('cloud.region');
  });

  it('lets an inner value win over an outer one for both get() and spans', () => {
    requestId.with('outer', () =>
      requestId.with('inner', () => {
        expect(requestId.get()).toBe('inner');
        tracer().startSpan('span').end();
      }),
    );
    expect(telemetry.findSpan('span')?.attributes['request.id']).toBe('inner');
  });

  it('does not touch spans started before the value was set', () => {
    const span = tracer().startSpan('before');
    requestId.with('r-1', () => span.end());
    expect(telemetry.findSpan('before')?.attributes).not.toHaveProperty('request.id');
  });
});

describe('built-in keys', () => {
  it('set request.id, user.id and tenant.id on spans started inside', async () => {
    await requestId.with('req-1', () =>
      userId.with('u-7', () =>
        tenantId.with('acme', async () => {
          await Promise.resolve();
          tracer().startSpan('work').end();
        }),
      ),
    );
    expect(telemetry.findSpan('work')?.attributes).toMatchObject({
      'request.id': 'req-1',
      'user.id': 'u-7',
      'tenant.id': 'acme',
    });
  });

  it('are readable from a context passed explicitly', () => {
    const ctx = tenantId.set(requestId.set(context.active(), 'req-2'), 'acme');
    expect(requestId.get(ctx)).toBe('req-2');
    expect(tenantId.get(ctx)).toBe('acme');
    expect(userId.get(ctx)).toBeUndefined();
  });
});

describe('withAttributes()', () => {
  it('gives every span started inside the attributes, merged with the keys', () => {
    requestId.with('req-3', () =>
      withAttributes({ 'job.name': 'report', 'job.shard': 2 }, () => {
        tracer().startSpan('job').end();
      }),
    );
    expect(telemetry.findSpan('job')?.attributes).toMatchObject({
      'request.id': 'req-3',
      'job.name': 'report',
      'job.shard': 2,
    });
  });

  it('does not change what a key returns', () => {
    requestId.with('req-4', () =>
      withAttributes({ 'request.id': 'overridden' }, () => {
        expect(requestId.get()).toBe('req-4');
        tracer().startSpan('span').end();
      }),
    );
    expect(telemetry.findSpan('span')?.attributes['request.id']).toBe('overridden');
  });

  it('is local to the process: nothing is injected into outgoing headers', () => {
    const carrier: Record<string, string> = {};
    withAttributes({ secret: 'x' }, () =>
      requestId.with('req-5', () => {
        propagation.inject(context.active(), carrier);
      }),
    );
    expect(Object.keys(carrier)).toEqual([]);
  });
});
