// A batch pipeline: requests push audit events, a worker writes them in
// batches. Each batch span links back to the requests whose events it holds.
// expect-output: wrote a batch of 3 events: u-1, u-2, u-3
// expect-output: wrote a batch of 1 events: u-4
// expect-output: queue full, event dropped: true
import { BatchPipeline, withSpan } from 'otelkit';
import { setup } from 'otelkit/setup';

const telemetry = setup({
  service: { name: 'batch-example' },
  exporter: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none',
});

interface AuditEvent {
  readonly action: string;
  readonly userId: string;
}

const audit = new BatchPipeline<AuditEvent>({
  name: 'audit',
  maxBatchSize: 3,
  maxDelayMs: 50,
  maxQueueSize: 4,
  process: async (events, { span }) => {
    // Runs in the `batch audit` span, which links to the span of each request that pushed an event.
    span.setAttribute('audit.users', events.map((event) => event.userId).join(','));
    await new Promise((resolve) => setTimeout(resolve, 5)); // the write
    console.log(
      `wrote a batch of ${events.length} events: ${events.map((e) => e.userId).join(', ')}`,
    );
  },
});

// Three requests fill a batch, which is written at once; the fourth waits for maxDelayMs.
for (const userId of ['u-1', 'u-2', 'u-3', 'u-4']) {
  await withSpan(`POST /login ${userId}`, async () => {
    audit.push({ action: 'login', userId });
  });
}
await new Promise((resolve) => setTimeout(resolve, 100));

// A burst beyond maxQueueSize is refused, and counted in otelkit.batch.dropped.
const accepted = [1, 2, 3, 4, 5].map((n) => audit.push({ action: 'burst', userId: `b-${n}` }));
console.log(`queue full, event dropped: ${accepted.includes(false)}`);

await audit.close();
await telemetry.shutdown();
