import {
  type Attributes,
  type Histogram,
  type MeterProvider,
  metrics,
  type Observable,
  type ObservableResult,
} from '@opentelemetry/api';
import { VERSION } from '../internal/version.ts';
import type { ExportSignal } from './export-config.ts';

/** The signals whose records the processors count one by one. */
export type RecordSignal = Exclude<ExportSignal, 'metrics'>;

/** The OpenTelemetry semantic-convention names of one signal's SDK metrics. */
interface SignalNames {
  readonly unit: string;
  readonly processorType: string;
  readonly exporterType: string;
  readonly processed: string;
  readonly queueSize: string;
  readonly queueCapacity: string;
  readonly inflight: string;
  readonly exported: string;
}

const NAMES: Record<RecordSignal, SignalNames> = {
  traces: {
    unit: '{span}',
    processorType: 'batching_span_processor',
    exporterType: 'otlp_http_span_exporter',
    processed: 'otel.sdk.processor.span.processed',
    queueSize: 'otel.sdk.processor.span.queue.size',
    queueCapacity: 'otel.sdk.processor.span.queue.capacity',
    inflight: 'otel.sdk.exporter.span.inflight',
    exported: 'otel.sdk.exporter.span.exported',
  },
  logs: {
    unit: '{log_record}',
    processorType: 'batching_log_processor',
    exporterType: 'otlp_http_log_exporter',
    processed: 'otel.sdk.processor.log.processed',
    queueSize: 'otel.sdk.processor.log.queue.size',
    queueCapacity: 'otel.sdk.processor.log.queue.capacity',
    inflight: 'otel.sdk.exporter.log.inflight',
    exported: 'otel.sdk.exporter.log.exported',
  },
};

const DURATION = 'otel.sdk.exporter.operation.duration';
const QUEUE_BYTES = 'otelkit.export.queue.bytes';
const DURATION_BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Instances of each component type, for `otel.component.name` (`<type>/<n>`). */
const instances = new Map<string, number>();

function componentName(type: string): string {
  const n = instances.get(type) ?? 0;
  instances.set(type, n + 1);
  return `${type}/${n}`;
}

/** The live figures the observable instruments read. */
export interface QueueState {
  /** Records waiting to be sent. */
  readonly queued: number;
  /** Encoded bytes held: queued, retrying and in flight. */
  readonly heldBytes: number;
  /** Records in requests being sent or retried. */
  readonly inflight: number;
  /** Records the byte bound holds at their average size so far. */
  readonly capacity: number;
}

interface Bound {
  readonly provider: MeterProvider;
  readonly duration: Histogram;
  readonly detach: () => void;
}

/**
 * The `otel.sdk.*` self-metrics of one processor and its exporter. Counts
 * are kept here as plain numbers and reported by observable instruments,
 * so the hot path only adds to a number, nothing counted before a meter
 * provider exists is lost, and the provider can be looked up late: `bind()`
 * (called at each request) moves the instruments to the global provider
 * whenever it changes.
 */
export class ExportMetrics {
  readonly #names: SignalNames;
  readonly #provider: MeterProvider | undefined;
  readonly #enabled: boolean;
  readonly #state: () => QueueState;
  readonly #processorAttributes: Attributes;
  readonly #exporterAttributes: Attributes;
  /** Counts by `error.type` (`''` for none). */
  readonly processed = new Map<string, number>();
  readonly exported = new Map<string, number>();
  #bound: Bound | undefined;

  constructor(
    signal: RecordSignal,
    url: string,
    options: { provider?: MeterProvider | undefined; enabled: boolean; state: () => QueueState },
  ) {
    this.#names = NAMES[signal];
    this.#provider = options.provider;
    this.#enabled = options.enabled;
    this.#state = options.state;
    const processorType = this.#names.processorType;
    const exporterType = this.#names.exporterType;
    this.#processorAttributes = {
      'otel.component.type': processorType,
      'otel.component.name': componentName(processorType),
    };
    const { hostname, port, protocol } = new URL(url);
    this.#exporterAttributes = {
      'otel.component.type': exporterType,
      'otel.component.name': componentName(exporterType),
      'server.address': hostname.replace(/^\[(.*)\]$/, '$1'),
      'server.port': port ? Number(port) : protocol === 'https:' ? 443 : 80,
    };
  }

  /** Records done with at the processor: handed to the exporter (no `errorType`) or dropped. */
  addProcessed(count: number, errorType = ''): void {
    this.processed.set(errorType, (this.processed.get(errorType) ?? 0) + count);
  }

  /** Records the exporter is done with: delivered (no `errorType`) or not. */
  addExported(count: number, errorType = ''): void {
    this.exported.set(errorType, (this.exported.get(errorType) ?? 0) + count);
  }

  /** One export attempt's duration. */
  recordDuration(seconds: number, errorType: string | undefined, status: number | undefined): void {
    const bound = this.bind();
    if (bound === undefined) return;
    const attributes: Attributes = { ...this.#exporterAttributes };
    if (errorType !== undefined) attributes['error.type'] = errorType;
    if (status !== undefined) attributes['http.response.status_code'] = status;
    bound.duration.record(seconds, attributes);
  }

  /** Makes sure the instruments live on the current meter provider; `undefined` when disabled. */
  bind(): Bound | undefined {
    if (!this.#enabled) return undefined;
    const provider = this.#provider ?? metrics.getMeterProvider();
    if (this.#bound?.provider === provider) return this.#bound;
    this.#bound?.detach();
    this.#bound = this.#create(provider);
    return this.#bound;
  }

  #create(provider: MeterProvider): Bound {
    const names = this.#names;
    const meter = provider.getMeter('otelkit', VERSION);
    const unit = names.unit;
    const attached: [Observable, (result: ObservableResult) => void][] = [];
    const observe = (instrument: Observable, callback: (result: ObservableResult) => void) => {
      instrument.addCallback(callback);
      attached.push([instrument, callback]);
    };
    const processorAttributes = this.#processorAttributes;
    const exporterAttributes = this.#exporterAttributes;
    observe(
      meter.createObservableCounter(names.processed, {
        unit,
        description:
          'Records the processor is done with: handed to the exporter, or dropped (error.type).',
      }),
      (result) => observeCounts(result, this.processed, processorAttributes),
    );
    observe(
      meter.createObservableUpDownCounter(names.queueSize, {
        unit,
        description: 'Records in the processor queue, waiting to be sent.',
      }),
      (result) => result.observe(this.#state().queued, processorAttributes),
    );
    observe(
      meter.createObservableUpDownCounter(names.queueCapacity, {
        unit,
        description: 'Records the queue holds (maxQueueBytes at the average record size so far).',
      }),
      (result) => result.observe(this.#state().capacity, processorAttributes),
    );
    observe(
      meter.createObservableUpDownCounter(QUEUE_BYTES, {
        unit: 'By',
        description:
          'Encoded bytes held for export (queued, retrying, in flight); bounded by maxQueueBytes.',
      }),
      (result) => result.observe(this.#state().heldBytes, processorAttributes),
    );
    observe(
      meter.createObservableUpDownCounter(names.inflight, {
        unit,
        description: 'Records in export requests not yet finished (sending or retrying).',
      }),
      (result) => result.observe(this.#state().inflight, exporterAttributes),
    );
    observe(
      meter.createObservableCounter(names.exported, {
        unit,
        description: 'Records the exporter is done with: delivered, or not (error.type).',
      }),
      (result) => observeCounts(result, this.exported, exporterAttributes),
    );
    const duration = meter.createHistogram(DURATION, {
      unit: 's',
      description: 'Duration of one export attempt.',
      advice: { explicitBucketBoundaries: DURATION_BOUNDARIES },
    });
    return {
      provider,
      duration,
      detach: () => {
        for (const [instrument, callback] of attached) instrument.removeCallback(callback);
      },
    };
  }
}

function observeCounts(
  result: ObservableResult,
  counts: ReadonlyMap<string, number>,
  attributes: Attributes,
): void {
  for (const [errorType, count] of counts) {
    result.observe(count, errorType ? { ...attributes, 'error.type': errorType } : attributes);
  }
}
