// Retry with backoff around a flaky dependency, a bounded pool of tasks, and
// crash capture installed for the life of the process.
// expect-output: inventory answered on attempt 3
// expect-output: gave up: RetryError after 2 attempts
// expect-output: resized 10 images, at most 3 at a time
// expect-output: 1 of 2 tasks failed: thumbnail service down
import { captureCrashes, isRetryError, retry, TaskGroup, withSpan } from 'otelkit';
import { setup } from 'otelkit/setup';

const telemetry = setup({
  service: { name: 'resilience-example' },
  exporter: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none',
});
// On an uncaught exception or unhandled rejection: record it, flush, exit 1.
const uninstall = captureCrashes();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A dependency that resets the connection twice, then answers. ECONNRESET is
// classified as retryable; each retry adds a `retry` event to the active span.
const stock = await withSpan('GET /stock', () =>
  retry(
    async ({ number }) => {
      if (number < 3) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return { sku: 'A-1', count: 7, attempt: number };
    },
    { initialDelayMs: 10 },
  ),
);
console.log(`inventory answered on attempt ${stock.attempt}`);

// A 503 with `Retry-After: 0`, every time: retryable, until the attempts run out.
await retry(
  async () => {
    throw Object.assign(new Error('service unavailable'), {
      status: 503,
      response: { headers: { 'retry-after': '0' } },
    });
  },
  { maxAttempts: 2 },
).catch((error: unknown) => {
  if (isRetryError(error)) console.log(`gave up: ${error.name} after ${error.attempts} attempts`);
});

// Ten tasks, three at a time, each in its own child span.
let running = 0;
let peak = 0;
const group = new TaskGroup<string>({ concurrency: 3, name: 'resize' });
for (let i = 1; i <= 10; i++) {
  group.spawn(`resize image ${i}`, async () => {
    peak = Math.max(peak, ++running);
    await sleep(5);
    running--;
    return `image-${i}.webp`;
  });
}
const images = await group.wait();
console.log(`resized ${images.length} images, at most ${peak} at a time`);

// A failure is collected, never unhandled; wait() reports every one together.
const thumbnails = new TaskGroup();
thumbnails.spawn('small', async () => 'ok');
thumbnails.spawn('large', async () => {
  throw new Error('thumbnail service down');
});
await thumbnails.wait().catch((error: AggregateError) => {
  console.log(`${error.message.split(' of the')[0]} failed: ${error.errors[0].message}`);
});

uninstall();
await telemetry.shutdown();
