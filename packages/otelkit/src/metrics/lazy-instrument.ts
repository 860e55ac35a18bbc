import type {
  Attributes,
  Context,
  Counter,
  Gauge,
  Histogram,
  Meter,
  MetricOptions,
  UpDownCounter,
} from '@opentelemetry/api';
import { perMeterProvider } from '../internal/per-provider.ts';

/** The synchronous instrument kinds that `LazyInstrument` can stand for. */
export type InstrumentKind = 'counter' | 'upDownCounter' | 'histogram' | 'gauge';

type SdkInstrument = Counter | UpDownCounter | Histogram | Gauge;

/**
 * A synchronous instrument bound to the global meter provider at the time of
 * use, not of creation. The OpenTelemetry API hands out no-op instruments
 * until a provider is registered, and they stay no-op forever; this one
 * compares the global provider's identity on each call (one global read),
 * and creates the real instrument again when the provider changed: after
 * `setup()`, or when a test registers fresh providers. No allocation per call.
 */
export class LazyInstrument {
  readonly #kind: InstrumentKind;
  readonly #name: string;
  readonly #scope: string;
  readonly #options: MetricOptions;
  readonly #current = perMeterProvider((provider) => this.#create(provider.getMeter(this.#scope)));

  constructor(kind: InstrumentKind, name: string, scope: string, options: MetricOptions) {
    this.#kind = kind;
    this.#name = name;
    this.#scope = scope;
    this.#options = options;
  }

  /** Adds to a counter or up-down counter. */
  add(value: number, attributes?: Attributes, context?: Context): void {
    (this.#current() as Counter).add(value, attributes, context);
  }

  /** Records into a histogram or gauge. */
  record(value: number, attributes?: Attributes, context?: Context): void {
    (this.#current() as Histogram).record(value, attributes, context);
  }

  #create(meter: Meter): SdkInstrument {
    switch (this.#kind) {
      case 'counter':
        return meter.createCounter(this.#name, this.#options);
      case 'upDownCounter':
        return meter.createUpDownCounter(this.#name, this.#options);
      case 'histogram':
        return meter.createHistogram(this.#name, this.#options);
      case 'gauge':
        return meter.createGauge(this.#name, this.#options);
    }
  }
}
