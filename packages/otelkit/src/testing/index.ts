/**
 * otelkit/testing: real OpenTelemetry SDK providers with in-memory exporters.
 * @module
 */

export type { SpanNode, TestTelemetry, TestTelemetryOptions } from './test-telemetry.ts';
export { createTestTelemetry } from './test-telemetry.ts';
