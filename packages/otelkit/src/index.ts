/**
 * otelkit: production-grade OpenTelemetry for TypeScript on Node.js.
 *
 * The helpers: tracing, errors, metrics instruments, the batch pipeline,
 * context and resilience. This entry imports only `@opentelemetry/api` (and
 * semantic-convention names), so a library can depend on it without pulling
 * the SDK into its users' apps; `otelkit/setup` wires the SDK.
 *
 * Every public symbol is listed here by name, grouped by concern.
 * @module
 */

// Tracing

export type {
  TracedOptions,
  TraceMethodOptions,
  WithSpanOptions,
} from './trace/span-options.ts';
export { traceMethod } from './trace/trace-method.ts';
export type { Traceable } from './trace/traced.ts';
export { traced } from './trace/traced.ts';
export { withSpan } from './trace/with-span.ts';

// Errors

export type {
  CategorizedErrorOptions,
  ErrorCategory,
  ErrorSeverity,
} from './errors/categorized-error.ts';
export { CategorizedError, isCategorizedError } from './errors/categorized-error.ts';
export type {
  Classification,
  ClassificationInit,
  ClassificationRule,
  ErrorClassifierOptions,
} from './errors/classify-error.ts';
export { classifyError, ErrorClassifier } from './errors/classify-error.ts';
export type { ErrorLink } from './errors/error-chain.ts';
export { errorChain, joinErrors } from './errors/error-chain.ts';
export type { RecordErrorOptions, SpanAttributesSource } from './errors/record-error.ts';
export { recordError } from './errors/record-error.ts';

// Metrics

export type {
  AttributesArgument,
  HistogramOptions,
  InstrumentOptions,
  TypedCounter,
  TypedGauge,
  TypedHistogram,
  TypedUpDownCounter,
} from './metrics/instruments.ts';
export { counter, gauge, histogram, upDownCounter } from './metrics/instruments.ts';

// Batch pipeline

export type { BatchContext, BatchPipelineOptions } from './batch/batch-pipeline.ts';
export { BatchPipeline } from './batch/batch-pipeline.ts';

// Context

export { afterAbort } from './context/after-abort.ts';
export type {
  ContextKey,
  ContextKeyOptions,
  SpanAttributeScalar,
} from './context/context-key.ts';
export {
  createContextKey,
  requestId,
  tenantId,
  userId,
  withAttributes,
} from './context/context-key.ts';
export type { Cleanup } from './context/create-cleanup.ts';
export { createCleanup } from './context/create-cleanup.ts';
export { currentSignal } from './context/current-signal.ts';
export type { RunDetachedOptions } from './context/run-detached.ts';
export { runDetached } from './context/run-detached.ts';
export type { SlaViolationErrorOptions } from './context/sla-violation-error.ts';
export { isSlaViolation, SlaViolationError } from './context/sla-violation-error.ts';
export { withSignal } from './context/with-signal.ts';
export type { WithSlaOptions } from './context/with-sla.ts';
export { withSla } from './context/with-sla.ts';
export type { WithTimeoutOptions } from './context/with-timeout.ts';
export { withDeadline, withTimeout } from './context/with-timeout.ts';
export { withoutCancel } from './context/without-cancel.ts';

// Resilience

export type { CaptureCrashesOptions } from './resilience/capture-crashes.ts';
export { captureCrashes } from './resilience/capture-crashes.ts';
export type { Jitter, RetryAttempt, RetryOptions } from './resilience/retry.ts';
export { retry } from './resilience/retry.ts';
export { isRetryError, RetryError } from './resilience/retry-error.ts';
export type { TaskGroupOptions } from './resilience/task-group.ts';
export { TaskGroup } from './resilience/task-group.ts';
