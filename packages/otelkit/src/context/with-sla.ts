import { perMeterProvider } from '../internal/per-provider.ts';
import { VERSION } from '../internal/version.ts';
import { withSpan } from '../trace/with-span.ts';
import { currentSignal } from './current-signal.ts';
import { runWithDeadline } from './run-with-deadline.ts';
import { SlaViolationError } from './sla-violation-error.ts';

/** The latency promise of an operation, for `withSla()`. */
export interface WithSlaOptions {
  /** The latency target: `sla.met` is whether the operation finished within it. */
  targetMs: number;
  /**
   * When to give up: the signal aborts with a `SlaViolationError` and the
   * promise rejects with it. @default no timeout: the SLA is only measured
   */
  timeoutMs?: number;
}

/** The `timeout.reason` attribute of a span `withSla()` cancelled. */
export const SLA_TIMEOUT_REASON = 'sla_violation';

/** `otelkit.sla.duration`, looked up per global meter provider so it records after `setup()`. */
const slaHistogram = perMeterProvider((provider) =>
  provider.getMeter('otelkit', VERSION).createHistogram('otelkit.sla.duration', {
    unit: 'ms',
    description: 'Duration of operations run with withSla(), by whether they met their target',
  }),
);

/**
 * Runs `fn(signal)` in a span `name` that records its latency against a
 * target: `sla.target_ms`, `operation.duration_ms` and `sla.met`, plus the
 * `otelkit.sla.duration` histogram (ms, by `operation.name` and `sla.met`).
 * Past `timeoutMs`, the signal aborts with a `SlaViolationError`, the promise
 * rejects with it, and the span gets `timeout.reason`.
 *
 * @example
 * const quote = await withSla('pricing.quote', { targetMs: 200, timeoutMs: 1_000 }, (signal) =>
 *   pricing.quote(cart, { signal }),
 * );
 */
export function withSla<T>(
  name: string,
  options: WithSlaOptions,
  fn: (signal: AbortSignal) => T | PromiseLike<T>,
): Promise<T> {
  const { targetMs, timeoutMs } = options;
  return withSpan(
    name,
    async (span) => {
      const start = performance.now();
      let violated = false;
      try {
        if (timeoutMs === undefined) return await fn(currentSignal());
        return await runWithDeadline(timeoutMs, fn, () => {
          violated = true;
          span.setAttribute('timeout.reason', SLA_TIMEOUT_REASON);
          return new SlaViolationError({
            operation: name,
            targetMs,
            elapsedMs: performance.now() - start,
          });
        });
      } finally {
        const elapsedMs = performance.now() - start;
        const met = !violated && elapsedMs <= targetMs;
        span.setAttribute('operation.duration_ms', elapsedMs);
        span.setAttribute('sla.met', met);
        slaHistogram().record(elapsedMs, { 'operation.name': name, 'sla.met': met });
      }
    },
    { attributes: { 'sla.target_ms': targetMs } },
  );
}
