import { perTracerProvider } from '../internal/per-provider.ts';
import { VERSION } from '../internal/version.ts';

/** The instrumentation scope of spans that otelkit starts for you. */
export const TRACER_NAME = 'otelkit';

/** The `otelkit` tracer of the current global tracer provider. */
export const defaultTracer = perTracerProvider((provider) =>
  provider.getTracer(TRACER_NAME, VERSION),
);
