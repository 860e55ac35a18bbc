// The smallest complete program: set up telemetry, trace some work, shut down.
// Spans go to the console here; drop `exporter` to send OTLP to localhost:4318.
// expect-output: hello, otelkit
import { setup } from 'otelkit/setup';

const telemetry = setup({
  service: { name: 'hello', version: '1.0.0', environment: 'development' },
  exporter: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'console',
});

const tracer = telemetry.tracer();
await tracer.startActiveSpan('greet', async (span) => {
  span.setAttribute('greeting.target', 'otelkit');
  console.log('hello, otelkit');
  span.end();
});

await telemetry.shutdown();
