import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { expect } from 'vitest';

class ManualReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** Counts of one metric by `error.type` (`''` for none). */
export type CountsByError = Record<string, number>;

/** The `otel.sdk.*` figures of one signal as a metrics backend would see them. */
export interface Accounting {
  processed: CountsByError;
  exported: CountsByError;
  queueSize: number;
  inflight: number;
  /** Every data point, for the attribute checks. */
  points: { name: string; attributes: Record<string, unknown>; value: unknown }[];
}

/** A real MeterProvider with a manual reader, for a processor's `meterProvider` option. */
export function selfMetrics(signal: 'span' | 'log' = 'span') {
  const reader = new ManualReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    meterProvider,
    /** Collects the self-metrics now. */
    async collect(): Promise<Accounting> {
      const { resourceMetrics } = await reader.collect();
      const accounting: Accounting = {
        processed: {},
        exported: {},
        queueSize: 0,
        inflight: 0,
        points: [],
      };
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          const name = metric.descriptor.name;
          for (const point of metric.dataPoints as {
            attributes: Record<string, unknown>;
            value: unknown;
          }[]) {
            accounting.points.push({ name, attributes: point.attributes, value: point.value });
            const errorType = String(point.attributes['error.type'] ?? '');
            const value = point.value as number;
            if (name === `otel.sdk.processor.${signal}.processed`) {
              accounting.processed[errorType] = (accounting.processed[errorType] ?? 0) + value;
            } else if (name === `otel.sdk.exporter.${signal}.exported`) {
              accounting.exported[errorType] = (accounting.exported[errorType] ?? 0) + value;
            } else if (name === `otel.sdk.processor.${signal}.queue.size`) {
              accounting.queueSize += value;
            } else if (name === `otel.sdk.exporter.${signal}.inflight`) {
              accounting.inflight += value;
            }
          }
        }
      }
      return accounting;
    },
  };
}

function sum(counts: CountsByError): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Records not delivered, by where they were counted. */
export function failures(counts: CountsByError): CountsByError {
  return Object.fromEntries(Object.entries(counts).filter(([type]) => type !== ''));
}

/**
 * The accounting invariant: every one of `ended` records is exactly one of
 * delivered (acknowledged by the backend), exported with an `error.type`, or
 * processed with an `error.type`; and nothing is still queued or in flight.
 */
export function expectEveryRecordAccounted(
  accounting: Accounting,
  ended: number,
  delivered: number,
): void {
  expect(sum(accounting.processed)).toBe(ended);
  expect(sum(accounting.exported)).toBe(accounting.processed[''] ?? 0);
  expect(accounting.exported[''] ?? 0).toBe(delivered);
  expect(delivered + sum(failures(accounting.exported)) + sum(failures(accounting.processed))).toBe(
    ended,
  );
  expect(accounting.queueSize).toBe(0);
  expect(accounting.inflight).toBe(0);
}
