/** The frameworks the HTTP benchmark serves a hello-world route with. */
export const FRAMEWORKS = ['fastify', 'express', 'hono', 'node-http'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/**
 * The arms: `plain` (no telemetry), `otelkit` (full `setup()` and its adapter),
 * `official` (the OpenTelemetry SDK for Node, its HTTP instrumentation and the
 * framework's official instrumentation).
 */
export const ARMS = ['plain', 'otelkit', 'official'] as const;
export type ArmName = (typeof ARMS)[number];

/** What the official route instruments, per framework, as the docs name it. */
export const OFFICIAL_ROUTE: Record<Framework, string> = {
  fastify: '@opentelemetry/sdk-node + instrumentation-http + @fastify/otel',
  express: '@opentelemetry/sdk-node + instrumentation-http + instrumentation-express',
  hono: '@opentelemetry/sdk-node + instrumentation-http + @hono/otel',
  'node-http': '@opentelemetry/sdk-node + instrumentation-http',
};
