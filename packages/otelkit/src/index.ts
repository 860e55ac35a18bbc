/**
 * otelkit: production-grade OpenTelemetry for TypeScript on Node.js.
 *
 * Every public symbol is listed here by name, grouped by concern.
 * @module
 */

// Setup
export { setup } from './setup/setup.ts';
export { isSetupError, SetupError } from './setup/setup-error.ts';
export type { ServiceOptions, SetupOptions, Telemetry } from './setup/setup-options.ts';

// Tracing

// Errors

// Metrics

// Batch pipeline

// Context

// Resilience
