// A request with a deadline: the cause of the timeout reaches a callee three
// calls deep through currentSignal(), cleanups run when it fires, and the
// audit write escapes the cancellation with withoutCancel().
// expect-output: charge cancelled: checkout took longer than 50 ms
// expect-output: cleanup: released the stock reservation
// expect-output: audit written for req-42 after the deadline
// expect-output: request failed: checkout took longer than 50 ms
import {
  createCleanup,
  currentSignal,
  requestId,
  withoutCancel,
  withSpan,
  withTimeout,
} from 'otelkit';
import { setup } from 'otelkit/setup';

const telemetry = setup({
  service: { name: 'context-example' },
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

// Three calls deep, nobody passed a signal down: it comes from the context.
async function chargeCard(): Promise<void> {
  const signal = currentSignal();
  try {
    await sleep(200, signal); // a slow payment provider
  } catch (error) {
    console.log(`charge cancelled: ${(error as Error).message}`);
    throw error;
  }
}
const pay = () => withSpan('pay', () => chargeCard());

async function checkout(): Promise<void> {
  const cleanup = createCleanup(); // disposed when the deadline aborts the context's signal
  cleanup.defer(() => console.log('cleanup: released the stock reservation'));
  const audit = withoutCancel(async () => {
    await sleep(80); // outlives the deadline: the request's cancellation does not reach it
    console.log(`audit written for ${requestId.get()} after the deadline`);
  });
  try {
    await pay();
  } finally {
    await audit;
  }
}

const deadline = new Error('checkout took longer than 50 ms');
await requestId
  .with('req-42', () =>
    withTimeout(50, () => withSpan('POST /checkout', checkout), { cause: deadline }),
  )
  .catch((error: Error) => console.log(`request failed: ${error.message}`));

await sleep(100); // let the audit finish before shutting down
await telemetry.shutdown();
