import { type Tracer, type TracerProvider, trace } from '@opentelemetry/api';
import { VERSION } from '../internal/version.ts';

/** The instrumentation scope of spans that otelkit starts for you. */
export const TRACER_NAME = 'otelkit';

let boundProvider: TracerProvider | undefined;
let boundTracer: Tracer | undefined;

/**
 * The `otelkit` tracer of the current global tracer provider. Looked up on
 * every call, so code loaded before `setup()` still traces, but cached per
 * provider: the global provider only changes identity when it is replaced
 * (tests that swap providers), and a cache hit costs one global read.
 */
export function defaultTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (provider !== boundProvider || boundTracer === undefined) {
    boundTracer = provider.getTracer(TRACER_NAME, VERSION);
    boundProvider = provider;
  }
  return boundTracer;
}
