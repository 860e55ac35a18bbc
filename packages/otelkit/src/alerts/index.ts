/**
 * otelkit/alerts: SLOs declared once, and the Prometheus recording and
 * alerting rules that watch them (multi-window, multi-burn-rate), on the
 * metric names Prometheus really stores for otelkit's metrics.
 * @module
 */

export type { BurnRateAlert } from './burn-rate-alerts.ts';
export { BURN_RATE_ALERTS, burnFactor } from './burn-rate-alerts.ts';
// Evaluation
export type {
  ErrorAlertVerdict,
  ErrorCount,
  ObjectiveVerdict,
  RouteTraffic,
  SloEvaluation,
  SloObservation,
} from './evaluate-slo.ts';
export { evaluateSlo } from './evaluate-slo.ts';
export { LATENCY_BOUNDS_MS } from './latency-bounds.ts';
export type { LatencyObjectivesOptions } from './latency-objectives.ts';
export { latencyObjectives } from './latency-objectives.ts';
// Rules
export type { PrometheusRulesOptions } from './prometheus-rules.ts';
export { DEFAULT_LINK_TEMPLATE, prometheusRules } from './prometheus-rules.ts';
export { PROMETHEUS_NAMES } from './promql.ts';
// SLO file
export type {
  AvailabilityObjective,
  ErrorAlert,
  LatencyObjective,
  SloFile,
  SloObjective,
} from './slo-file.ts';
export { isSloFileError, SloFileError } from './slo-file-error.ts';
export { parseSloFile, validateSloFile } from './validate-slo-file.ts';
