/**
 * otelkit: production-grade OpenTelemetry for TypeScript on Node.js.
 *
 * Every public symbol is listed here by name, grouped by concern.
 * @module
 */

// Setup
export { setup } from './setup/setup.ts';
export type { SetupOptions, ServiceOptions, Telemetry } from './setup/setup-options.ts';
export { SetupError, isSetupError } from './setup/setup-error.ts';

// Tracing

// Errors

// Metrics

// Batch pipeline

// Context

// Resilience
