import { type Attributes, SpanStatusCode } from '@opentelemetry/api';
import { type Sampler, SamplingDecision } from '@opentelemetry/sdk-trace';
import { createTestTelemetry, type TestTelemetry } from 'otelkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Traceable, traced } from './traced.ts';

let telemetry: TestTelemetry | undefined;
afterEach(() => telemetry?.shutdown());

class PlaceOrder implements Traceable {
  readonly spanName = 'orders.place';
  readonly orderId: string;
  constructor(orderId: string) {
    this.orderId = orderId;
  }
  get spanAttributes(): Attributes {
    return { 'order.id': this.orderId };
  }
}

describe('traced', () => {
  it('names the span after the operation and sets its attributes at start', () => {
    const seenBySampler: Attributes[] = [];
    const sampler: Sampler = {
      shouldSample(_context, _traceId, _name, _kind, attributes) {
        seenBySampler.push(attributes);
        return { decision: SamplingDecision.RECORD_AND_SAMPLED };
      },
    };
    telemetry = createTestTelemetry({ sampler });

    const result = traced(new PlaceOrder('o-42'), () => 'placed');

    expect(result).toBe('placed');
    expect(seenBySampler).toEqual([{ 'order.id': 'o-42' }]);
    expect(telemetry.findSpan('orders.place')?.attributes).toEqual({ 'order.id': 'o-42' });
  });

  it('adds option attributes over the operation ones', () => {
    telemetry = createTestTelemetry();
    const operation = { spanName: 'sync', spanAttributes: { a: 1, b: 1 } };

    traced(operation, () => {}, { attributes: { b: 2, c: 3 } });
    traced({ spanName: 'bare' }, () => {}, { attributes: { c: 3 } });

    expect(telemetry.findSpan('sync')?.attributes).toEqual({ a: 1, b: 2, c: 3 });
    expect(telemetry.findSpan('bare')?.attributes).toEqual({ c: 3 });
  });

  it('returns what fn returns, the span passed in, and ends async spans on settle', async () => {
    telemetry = createTestTelemetry();
    const value = { ok: true };

    const result = await traced(new PlaceOrder('o-1'), async (span) => {
      span.setAttribute('order.items', 2);
      return value;
    });

    expect(result).toBe(value);
    expect(telemetry.findSpan('orders.place')?.attributes['order.items']).toBe(2);
  });

  it('records and rethrows the very same error', async () => {
    telemetry = createTestTelemetry();
    const error = new Error('out of stock');

    await expect(traced(new PlaceOrder('o-2'), () => Promise.reject(error))).rejects.toBe(error);

    expect(telemetry.findSpan('orders.place')?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'out of stock',
    });
  });
});
