// Background work that outlives its request, and an operation measured
// against its latency target, cancelled with a SlaViolationError past its timeout.
// expect-output: signup answered
// expect-output: welcome email sent in its own trace, linked to the signup span
// expect-output: quote: 42 (sla.met true)
// expect-output: search cancelled: SlaViolationError, target 20 ms
import { isSlaViolation, runDetached, withSla, withSpan } from 'otelkit';
import { setup } from 'otelkit/setup';

const telemetry = setup({
  service: { name: 'detached-example' },
  exporter: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none',
});
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

// The request answers at once; the email goes on in the background. Its span is
// the root of a new trace with a link to the request span, and a failure would
// be recorded and logged, never an unhandled rejection.
const email = await withSpan('POST /signup', async () => {
  const sent = runDetached('send welcome email', async (span) => {
    await sleep(30);
    return span.spanContext().traceId;
  });
  console.log('signup answered');
  return sent;
});
await email;
console.log('welcome email sent in its own trace, linked to the signup span');

// Within target: the span records sla.target_ms, operation.duration_ms, sla.met.
const quote = await withSla('pricing.quote', { targetMs: 100 }, async () => {
  await sleep(5);
  return 42;
});
console.log(`quote: ${quote} (sla.met true)`);

// Past timeoutMs the signal aborts with a SlaViolationError, and so does the call.
await withSla('search', { targetMs: 20, timeoutMs: 40 }, (signal) => sleep(1_000, signal)).catch(
  (error: unknown) => {
    if (isSlaViolation(error)) {
      console.log(`search cancelled: ${error.name}, target ${error.targetMs} ms`);
    }
  },
);

await telemetry.shutdown();
