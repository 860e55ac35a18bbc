import { createServer } from 'node:http';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { close, listen, request } from '../test-support/http-client.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { withSpan } from '../trace/with-span.ts';
import { instrumentHandler } from './adapters/node-http.ts';

// Longer than the clock's re-anchoring check (1 s): the wall clock is read again meanwhile.
const WORK_MS = 1100;
const HOUR_MS = 3_600_000;

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
  // Only `Date` is faked: the wall clock can be stepped, the monotonic clock runs on.
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
});
afterEach(async () => {
  vi.useRealTimers();
  await telemetry.shutdown();
});

/** Waits for real, then steps the wall clock by `stepMs` (an NTP step, a VM resumed). */
async function workThroughStep(stepMs: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, WORK_MS / 2));
  vi.setSystemTime(Date.now() + stepMs);
  await new Promise((resolve) => setTimeout(resolve, WORK_MS / 2));
}

describe('durations across a wall-clock step', () => {
  it.each([-HOUR_MS, HOUR_MS])(
    'a server span and http.server.request.duration stay true when the wall clock steps %i ms',
    async (stepMs) => {
      const server = createServer(
        instrumentHandler(
          async (_req, res) => {
            await workThroughStep(stepMs);
            res.end('done');
          },
          { route: () => '/work' },
        ),
      );
      const url = await listen(server);
      try {
        expect((await request(`${url}/work`)).status).toBe(200);
      } finally {
        await close(server);
      }
      const span = telemetry.findSpan('GET /work')!;
      const spanMs = hrTimeToMilliseconds(span.duration);
      expect(spanMs).toBeGreaterThanOrEqual(WORK_MS - 5);
      expect(spanMs).toBeLessThan(HOUR_MS / 2);
      const metric = (await telemetry.findMetric(
        'http.server.request.duration',
      )) as HistogramMetricData;
      const seconds = metric.dataPoints[0]!.value.sum!;
      expect(seconds * 1000).toBeGreaterThanOrEqual(WORK_MS - 5);
      expect(seconds * 1000).toBeLessThan(HOUR_MS / 2);
    },
  );

  it('a withSpan span stays true when the wall clock steps back', async () => {
    await withSpan('job', () => workThroughStep(-HOUR_MS));
    const ms = hrTimeToMilliseconds(telemetry.findSpan('job')!.duration);
    expect(ms).toBeGreaterThanOrEqual(WORK_MS - 5);
    expect(ms).toBeLessThan(HOUR_MS / 2);
  });
});
