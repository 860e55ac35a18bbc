import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { currentSignal } from './current-signal.ts';
import { withSignal } from './with-signal.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
});
afterEach(() => telemetry.shutdown());

describe('withSignal()', () => {
  it('makes an outside signal the current one, returning what fn returns', () => {
    const request = new AbortController();
    const seen = withSignal(request.signal, () => currentSignal());
    expect(seen).toBe(request.signal);
  });

  it('aborts when either the outside signal or the surrounding one aborts', async () => {
    const shutdown = new AbortController();
    const request = new AbortController();
    const reason = new Error('shutting down');
    const inner = await withSignal(shutdown.signal, () =>
      withSignal(request.signal, async () => {
        const signal = currentSignal();
        shutdown.abort(reason);
        return signal;
      }),
    );
    expect(inner.aborted).toBe(true);
    expect(inner.reason).toBe(reason);
    expect(request.signal.aborted).toBe(false);
  });

  it('removes its listeners from both signals once fn settles', async () => {
    const shutdown = new AbortController();
    const request = new AbortController();
    await withSignal(shutdown.signal, async () => {
      await withSignal(request.signal, async () => 'done');
      expect(withSignal(request.signal, () => 'sync')).toBe('sync');
      await expect(
        withSignal(request.signal, async () => {
          throw new Error('fails');
        }),
      ).rejects.toThrow('fails');
    });
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
  });
});
