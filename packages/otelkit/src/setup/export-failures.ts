import type { Context } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type {
  AggregationSelector,
  AggregationTemporalitySelector,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

interface AnyExporter {
  export(items: never, resultCallback: (result: ExportResult) => void): void;
  forceFlush?(): Promise<void>;
  shutdown(): Promise<void>;
  selectAggregation?: AggregationSelector;
  selectAggregationTemporality?: AggregationTemporalitySelector;
}

/** What `setup()` asks of otelkit's own processors and exporters as the process ends. */
export interface OwnExport {
  readonly config: { readonly url: string };
  processEnding(ending: boolean, timeLeftMs?: number): void;
  /** Records ended and not yet done with (processors only). */
  readonly pendingCount?: number;
}

/**
 * Remembers the export failures of one signal. The SDK's batch processors
 * report a failed export to the diag logger and resolve their flush anyway,
 * and the tracer provider swallows a processor's failed flush, so
 * `shutdown()` and `forceFlush()` ask this tracker whether the signal really
 * got its data out. It also knows otelkit's own exporters of the signal, to
 * tell them when the process ends.
 */
export class ExportFailures {
  #count = 0;
  #last: unknown;
  readonly #own: OwnExport[] = [];
  /** Where otelkit's own exporter sends this signal, named when a flush runs out of time. */
  destination: string | undefined;

  /** The same exporter, reporting each failed export here. */
  exporter<E extends AnyExporter>(exporter: E): E {
    return new TrackedExporter(exporter, this) as unknown as E;
  }

  /** Notes otelkit's own exporter of this signal (after wrapping it when it is a processor). */
  own<E extends OwnExport>(exporter: E): E {
    this.destination ??= exporter.config.url;
    this.#own.push(exporter);
    return exporter;
  }

  /** The span processor, reporting here when its flush or shutdown rejects. */
  spanProcessor(processor: SpanProcessor & OwnExport): SpanProcessor {
    return new TrackedSpanProcessor(this.own(processor), this);
  }

  /** The log record processor, reporting here when its flush or shutdown rejects. */
  logRecordProcessor(processor: LogRecordProcessor & OwnExport): LogRecordProcessor {
    return new TrackedLogRecordProcessor(this.own(processor), this);
  }

  /** Runs `action`, then rejects with the last export failure that happened meanwhile. */
  async check(action: () => Promise<unknown>): Promise<void> {
    const before = this.#count;
    try {
      await action();
    } catch (error) {
      // The providers wrap their processors' errors (in arrays): the one noted here says more.
      throw this.#count > before ? this.#last : error;
    }
    if (this.#count > before) throw this.#last;
  }

  /** Tells otelkit's exporters that the process ends within `timeLeftMs`, or goes on after all. */
  processEnding(ending: boolean, timeLeftMs?: number): void {
    for (const exporter of this.#own) exporter.processEnding(ending, timeLeftMs);
  }

  /** Records otelkit's processors hold, not yet exported nor counted as lost. */
  get pendingCount(): number {
    let count = 0;
    for (const exporter of this.#own) count += exporter.pendingCount ?? 0;
    return count;
  }

  /** Notes a failure. */
  fail(error: unknown): void {
    this.#count++;
    this.#last = error;
  }

  /** `promise`, its rejection noted here. */
  watch(promise: Promise<void>): Promise<void> {
    return promise.catch((error: unknown) => {
      this.fail(error);
      throw error;
    });
  }
}

class TrackedExporter {
  readonly #exporter: AnyExporter;
  readonly #failures: ExportFailures;
  readonly selectAggregation?: AggregationSelector;
  readonly selectAggregationTemporality?: AggregationTemporalitySelector;

  constructor(exporter: AnyExporter, failures: ExportFailures) {
    this.#exporter = exporter;
    this.#failures = failures;
    // The metric reader reads these once, when it is built.
    if (exporter.selectAggregation) {
      this.selectAggregation = exporter.selectAggregation.bind(exporter);
    }
    if (exporter.selectAggregationTemporality) {
      this.selectAggregationTemporality = exporter.selectAggregationTemporality.bind(exporter);
    }
  }

  export(items: never, done: (result: ExportResult) => void): void {
    this.#exporter.export(items, (result) => {
      if (result.code === ExportResultCode.FAILED) {
        this.#failures.fail(result.error ?? new Error('export failed'));
      }
      done(result);
    });
  }

  async forceFlush(): Promise<void> {
    await this.#exporter.forceFlush?.();
  }

  shutdown(): Promise<void> {
    return this.#exporter.shutdown();
  }
}

class TrackedSpanProcessor implements SpanProcessor {
  readonly #processor: SpanProcessor;
  readonly #failures: ExportFailures;

  constructor(processor: SpanProcessor, failures: ExportFailures) {
    this.#processor = processor;
    this.#failures = failures;
  }

  onStart(span: Span, parentContext: Context): void {
    this.#processor.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.#processor.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.#failures.watch(this.#processor.forceFlush());
  }

  shutdown(): Promise<void> {
    return this.#failures.watch(this.#processor.shutdown());
  }
}

class TrackedLogRecordProcessor implements LogRecordProcessor {
  readonly #processor: LogRecordProcessor;
  readonly #failures: ExportFailures;

  constructor(processor: LogRecordProcessor, failures: ExportFailures) {
    this.#processor = processor;
    this.#failures = failures;
  }

  onEmit(record: ReadWriteLogRecord, context?: Context): void {
    this.#processor.onEmit(record, context);
  }

  forceFlush(): Promise<void> {
    return this.#failures.watch(this.#processor.forceFlush());
  }

  shutdown(): Promise<void> {
    return this.#failures.watch(this.#processor.shutdown());
  }
}
