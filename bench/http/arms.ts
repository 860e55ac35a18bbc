/** The frameworks the HTTP benchmark serves a hello-world route with. */
export const FRAMEWORKS = ['fastify', 'express', 'hono', 'node-http'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/**
 * The arms: `plain` (no telemetry), `otelkit` (full `setup()` and its adapter),
 * `official` (the OpenTelemetry SDK for Node, its HTTP instrumentation and the
 * framework's official instrumentation), and `busy`, a yardstick: the plain
 * server doing `BUSY_MICROS` of pure JavaScript work per request, no telemetry,
 * which shows what any added work measures as on this machine under this load.
 */
export const ARMS = ['plain', 'otelkit', 'official', 'busy'] as const;
export type ArmName = (typeof ARMS)[number];

/** The arms whose servers export spans to a sink. */
export const EXPORTING_ARMS: readonly ArmName[] = ['otelkit', 'official'];

/** The busy work per request of the `busy` arm, in microseconds. */
export const BUSY_MICROS = 10;

/** What the official route instruments, per framework, as the docs name it. */
export const OFFICIAL_ROUTE: Record<Framework, string> = {
  fastify: '@opentelemetry/sdk-node + instrumentation-http + @fastify/otel',
  express: '@opentelemetry/sdk-node + instrumentation-http + instrumentation-express',
  hono: '@opentelemetry/sdk-node + instrumentation-http + @hono/otel',
  'node-http': '@opentelemetry/sdk-node + instrumentation-http',
};
