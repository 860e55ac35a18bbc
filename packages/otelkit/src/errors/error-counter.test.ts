import { trace } from '@opentelemetry/api';
import { AlwaysOffSampler } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { withSpan } from '../trace/with-span.ts';
import { CategorizedError } from './categorized-error.ts';
import { MAX_ERROR_TYPES } from './error-counter.ts';
import { recordError } from './record-error.ts';

let telemetry: TestTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

/** The points of `otelkit.errors` as `{ attributes, value }`. */
async function counted(t: TestTelemetry) {
  const metric = await t.findMetric('otelkit.errors');
  return (metric?.dataPoints ?? []).map((p) => ({ attributes: p.attributes, value: p.value }));
}

class PaymentDeclined extends Error {
  override name = 'PaymentDeclined';
}

describe('otelkit.errors', () => {
  it('counts a recorded error with its type and classification', async () => {
    telemetry = createTestTelemetry();
    const error = new CategorizedError('disk full', {
      category: 'internal',
      severity: 'critical',
      code: 'DISK_FULL',
    });
    trace.getTracer('test').startActiveSpan('job', (span) => {
      recordError(error);
      span.end();
    });
    expect(await counted(telemetry)).toEqual([
      {
        attributes: {
          'error.type': 'DISK_FULL',
          'error.category': 'internal',
          'error.severity': 'critical',
          'error.retryable': false,
        },
        value: 1,
      },
    ]);
  });

  it('counts an unclassified error as unknown, medium and not retryable', async () => {
    telemetry = createTestTelemetry();
    await withSpan('pay', () => Promise.reject(new PaymentDeclined('declined'))).catch(() => {});
    expect(await counted(telemetry)).toEqual([
      {
        attributes: {
          'error.type': 'PaymentDeclined',
          'error.category': 'unknown',
          'error.severity': 'medium',
          'error.retryable': false,
        },
        value: 1,
      },
    ]);
  });

  it('counts an error once, however many spans it fails and whoever wraps it', async () => {
    telemetry = createTestTelemetry();
    const cause = new PaymentDeclined('declined');
    await withSpan('checkout', () =>
      withSpan('pay', () => withSpan('charge', () => Promise.reject(cause))).catch((error) => {
        throw new Error('checkout failed', { cause: error });
      }),
    ).catch(() => {});
    const [point, ...others] = await counted(telemetry);
    expect(others).toEqual([]);
    expect(point?.value).toBe(1);
    // Recorded on the three spans it failed, counted once.
    expect(
      telemetry.spans().filter((s) => s.events.some((e) => e.name === 'exception')),
    ).toHaveLength(3);
  });

  it('counts errors that no span records, so the metric does not depend on sampling', async () => {
    telemetry = createTestTelemetry({ sampler: new AlwaysOffSampler() });
    await withSpan('sampled out', () => Promise.reject(new PaymentDeclined('a'))).catch(() => {});
    recordError(new PaymentDeclined('b'));
    recordError('a thrown string');
    const points = await counted(telemetry);
    expect(points.map((p) => [p.attributes['error.type'], p.value])).toEqual([
      ['PaymentDeclined', 2],
      ['string', 1],
    ]);
  });

  it(`records at most ${MAX_ERROR_TYPES} error types per process, then _OTHER`, async () => {
    telemetry = createTestTelemetry();
    for (let i = 0; i < MAX_ERROR_TYPES + 20; i++) {
      const error = new Error(`failure ${i}`);
      error.name = `Failure${i}`;
      recordError(error);
    }
    const points = await counted(telemetry);
    const types = points.map((p) => p.attributes['error.type']);
    expect(new Set(types).size).toBe(types.length);
    const named = points.filter((p) => p.attributes['error.type'] !== '_OTHER');
    // Earlier tests of this file took 3 of the types: DISK_FULL, PaymentDeclined, string.
    expect(named).toHaveLength(MAX_ERROR_TYPES - 3);
    expect(points.find((p) => p.attributes['error.type'] === '_OTHER')?.value).toBe(23);
  });

  it('never throws into the caller, even for a hostile error', () => {
    telemetry = createTestTelemetry();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(() => recordError(hostile)).not.toThrow();
  });
});
