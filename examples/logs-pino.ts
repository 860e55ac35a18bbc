// otelkit/pino: a pino logger whose lines carry the trace ids, whose records are
// also OpenTelemetry log records, and whose warnings become span events.
// expect-output: "msg":"charging card"
// expect-output: "trace_id":"
// expect-output: "chain":[{"type":"Error","message":"charge failed"},{"type":"Error","message":"card declined"}]

import { createLogger } from 'otelkit/pino';
import { setup } from 'otelkit/setup';

const telemetry = setup({
  service: { name: 'billing', version: '1.0.0' },
  exporter: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none',
});
const logger = createLogger({ base: undefined, timestamp: false });

logger.info('outside any span: no trace ids');
await telemetry.tracer().startActiveSpan('charge order', async (span) => {
  logger.info({ orderId: 'o-42' }, 'charging card');
  logger.warn({ attempt: 2 }, 'card network slow, retrying'); // also a span event `log`
  const err = new Error('charge failed', { cause: new Error('card declined') });
  logger.error({ err }, 'order not charged');
  span.end();
});

await telemetry.shutdown();
