import {
  AggregationTemporality,
  type AggregationTemporalitySelector,
  InstrumentType,
} from '@opentelemetry/sdk-metrics';
import { warn } from '../internal/warn.ts';
import type { ExportEnv } from './export-config.ts';

/** The temporality preferences of the OTLP metric exporter specification. */
export type TemporalityPreference = 'cumulative' | 'delta' | 'lowmemory';

const PREFERENCES: readonly TemporalityPreference[] = ['cumulative', 'delta', 'lowmemory'];
const ENV = 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE';

/** Delta for what is counted or sampled, cumulative for up-down counters. */
const DELTA = new Set<InstrumentType>([
  InstrumentType.COUNTER,
  InstrumentType.OBSERVABLE_COUNTER,
  InstrumentType.GAUGE,
  InstrumentType.HISTOGRAM,
  InstrumentType.OBSERVABLE_GAUGE,
]);
/** Delta only where the SDK then keeps no state between exports. */
const LOW_MEMORY = new Set<InstrumentType>([InstrumentType.COUNTER, InstrumentType.HISTOGRAM]);

/**
 * The temporality of each instrument for a preference, as the specification
 * (and the official OTLP metric exporters) define them.
 */
export function temporalitySelector(
  preference: TemporalityPreference,
): AggregationTemporalitySelector {
  if (preference === 'cumulative') return () => AggregationTemporality.CUMULATIVE;
  const delta = preference === 'delta' ? DELTA : LOW_MEMORY;
  return (type) =>
    delta.has(type) ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
}

/**
 * The preference from code, else `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`,
 * else cumulative. A bad code value throws naming it; a bad variable is
 * reported and the default applies.
 */
export function resolveTemporalityPreference(
  option: TemporalityPreference | undefined,
  env: ExportEnv,
): TemporalityPreference {
  if (option !== undefined) {
    if (PREFERENCES.includes(option)) return option;
    throw new TypeError(
      `otelkit export: invalid option temporalityPreference = ${JSON.stringify(option)}: expected one of ${PREFERENCES.join(', ')}`,
    );
  }
  const value = env[ENV]?.trim().toLowerCase();
  if (!value) return 'cumulative';
  if ((PREFERENCES as readonly string[]).includes(value)) return value as TemporalityPreference;
  warn(
    `otelkit: ignoring ${ENV}=${JSON.stringify(value)} (expected one of ${PREFERENCES.join(', ')}); using cumulative`,
  );
  return 'cumulative';
}
