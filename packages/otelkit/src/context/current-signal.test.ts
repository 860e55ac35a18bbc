import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { currentSignal, setSignal } from './current-signal.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
});
afterEach(() => telemetry.shutdown());

describe('currentSignal()', () => {
  it('is a signal that never aborts when no cancellation is set', () => {
    const signal = currentSignal();
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
    expect(currentSignal(ROOT_CONTEXT)).toBe(signal);
  });

  it('is the signal of the active context, or of the context passed', async () => {
    const controller = new AbortController();
    const ctx = setSignal(ROOT_CONTEXT, controller.signal);
    expect(currentSignal(ctx)).toBe(controller.signal);
    await context.with(ctx, async () => {
      await Promise.resolve();
      expect(currentSignal()).toBe(controller.signal);
    });
  });
});
