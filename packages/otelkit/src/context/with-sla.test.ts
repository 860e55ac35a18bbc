import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { currentSignal } from './current-signal.ts';
import { isSlaViolation, SlaViolationError } from './sla-violation-error.ts';
import { withSla } from './with-sla.ts';

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

describe('withSla()', () => {
  it('records the target, the duration and sla.met on its span and histogram', async () => {
    const run = withSla('pricing.quote', { targetMs: 200 }, async () => {
      await sleep(150);
      return 42;
    });
    await vi.advanceTimersByTimeAsync(150);
    await expect(run).resolves.toBe(42);
    expect(telemetry.findSpan('pricing.quote')?.attributes).toEqual({
      'sla.target_ms': 200,
      'operation.duration_ms': 150,
      'sla.met': true,
    });
    const histogram = await telemetry.findMetric('otelkit.sla.duration');
    expect(histogram?.descriptor.unit).toBe('ms');
    expect(histogram?.dataPoints[0]).toMatchObject({
      attributes: { 'operation.name': 'pricing.quote', 'sla.met': true },
      value: { count: 1, sum: 150 },
    });
  });

  it('marks a slow operation as missing its target without cancelling it', async () => {
    const run = withSla('report', { targetMs: 100 }, async (signal) => {
      await sleep(300);
      return signal.aborted;
    });
    await vi.advanceTimersByTimeAsync(300);
    await expect(run).resolves.toBe(false);
    expect(telemetry.findSpan('report')?.attributes).toMatchObject({
      'operation.duration_ms': 300,
      'sla.met': false,
    });
  });

  it('aborts the signal with a SlaViolationError past timeoutMs and sets timeout.reason', async () => {
    let reason: unknown;
    const run = withSla('payment.charge', { targetMs: 200, timeoutMs: 1_000 }, async () => {
      const signal = currentSignal();
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      reason = signal.reason;
    });
    const rejected = expect(run).rejects.toBeInstanceOf(SlaViolationError);
    await vi.advanceTimersByTimeAsync(1_000);
    await rejected;
    expect(reason).toBeInstanceOf(SlaViolationError);
    expect(reason).toMatchObject({
      name: 'SlaViolationError',
      operation: 'payment.charge',
      targetMs: 200,
      elapsedMs: 1_000,
    });
    const span = telemetry.findSpan('payment.charge');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes).toMatchObject({
      'timeout.reason': 'sla_violation',
      'sla.met': false,
      'error.type': 'SlaViolationError',
    });
    const histogram = await telemetry.findMetric('otelkit.sla.duration');
    expect(histogram?.dataPoints[0]?.attributes).toEqual({
      'operation.name': 'payment.charge',
      'sla.met': false,
    });
  });

  it('has a brand guard that works across copies of the package', () => {
    const error = new SlaViolationError({ operation: 'op', targetMs: 1, elapsedMs: 2 });
    expect(isSlaViolation(error)).toBe(true);
    expect(isSlaViolation({ [Symbol.for('otelkit.SlaViolationError')]: true })).toBe(true);
    expect(isSlaViolation(new Error('other'))).toBe(false);
    expect(isSlaViolation(null)).toBe(false);
    expect(error.message).toBe('op was cancelled after 2 ms (SLA target 1 ms)');
  });
});
