import {
  type MeterProvider,
  metrics,
  type ObservableCounter,
  type ObservableResult,
} from '@opentelemetry/api';
import { VERSION } from '../internal/version.ts';

/**
 * What became of one local trace: kept, with the reason its local root
 * carries (`error`, `slow`, `sla`, `ratio`); `dropped`; or `early`, decided
 * before its local root ended (the buffer was full, the root waited too
 * long, or the process ended).
 */
export type SamplingDecisionName = 'error' | 'slow' | 'sla' | 'ratio' | 'dropped' | 'early';

const NAME = 'otelkit.sampling.traces';

interface Bound {
  readonly provider: MeterProvider;
  readonly counter: ObservableCounter;
  readonly callback: (result: ObservableResult) => void;
}

/**
 * The `otelkit.sampling.traces` counter: one per local trace decided, by
 * `otelkit.sampling.decision`. Counts are plain numbers reported by an
 * observable counter, so the hot path only adds to a number and nothing
 * counted before a meter provider exists is lost; `bind()` moves the
 * counter to the global provider whenever it changes.
 */
export class SamplingMetrics {
  readonly #provider: MeterProvider | undefined;
  /** Local traces by decision. */
  readonly counts = new Map<SamplingDecisionName, number>();
  #bound: Bound | undefined;

  constructor(provider?: MeterProvider) {
    this.#provider = provider;
    this.bind();
  }

  /** Counts one local trace decided as `decision`. */
  add(decision: SamplingDecisionName): void {
    this.counts.set(decision, (this.counts.get(decision) ?? 0) + 1);
  }

  /** Makes sure the counter lives on the current meter provider. */
  bind(): void {
    const provider = this.#provider ?? metrics.getMeterProvider();
    if (this.#bound?.provider === provider) return;
    if (this.#bound) this.#bound.counter.removeCallback(this.#bound.callback);
    const counter = provider.getMeter('otelkit', VERSION).createObservableCounter(NAME, {
      unit: '{trace}',
      description:
        'Local traces (a local root and its spans in this process) decided by tail sampling, by otelkit.sampling.decision.',
    });
    const callback = (result: ObservableResult) => {
      for (const [decision, count] of this.counts) {
        result.observe(count, { 'otelkit.sampling.decision': decision });
      }
    };
    counter.addCallback(callback);
    this.#bound = { provider, counter, callback };
  }
}
