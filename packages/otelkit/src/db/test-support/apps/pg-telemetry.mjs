// What an ES module app loads first (`node --import ./pg-telemetry.mjs app.mjs`):
// the loader hook that lets instrumentations patch imported modules, then setup().
import { register } from 'node:module';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { setup } from 'otelkit/setup';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

export const exporter = new InMemorySpanExporter();
export const telemetry = setup({
  exporter: 'none',
  traces: { exporter },
  instrumentations: [new PgInstrumentation()],
});
