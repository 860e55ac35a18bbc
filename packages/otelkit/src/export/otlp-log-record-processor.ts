import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { type ResolvedOtlpExportConfig, resolveOtlpExportConfig } from './export-config.ts';
import { ExportPipeline } from './export-pipeline.ts';
import { encodeLogRecord } from './log-record-encoder.ts';
import type { OtlpLogRecordProcessorOptions } from './otlp-export-options.ts';

/**
 * A log record processor with its own OTLP/HTTP protobuf exporter: each
 * record is encoded as it is emitted into a buffer bounded in bytes, and
 * sent, retried and counted as `OtlpSpanProcessor` does for spans. Register
 * it after processors that change records: it encodes what it sees.
 *
 * @example
 * const provider = new LoggerProvider({ processors: [new OtlpLogRecordProcessor()] });
 */
export class OtlpLogRecordProcessor implements LogRecordProcessor {
  readonly #pipeline: ExportPipeline<ReadWriteLogRecord>;

  /** @throws {TypeError | RangeError} when an option is invalid, naming it and its value. */
  constructor(options: OtlpLogRecordProcessorOptions = {}) {
    const config = resolveOtlpExportConfig('logs', options);
    this.#pipeline = new ExportPipeline(
      config,
      'log records',
      encodeLogRecord,
      options.meterProvider,
    );
  }

  /** The effective configuration (header values left out). */
  get config(): ResolvedOtlpExportConfig {
    return this.#pipeline.config;
  }

  /** Encodes the record into the buffer, or counts it dropped; never throws. */
  onEmit(record: ReadWriteLogRecord): void {
    this.#pipeline.add(record);
  }

  /**
   * Tells the processor that the process is ending (`true`) or goes on after
   * all (`false`). While it ends, requests waiting to retry try again at once
   * and a backend that cannot be reached at all (connection refused, host not
   * found) is not retried: a flush before exit then ends as soon as that is
   * known, instead of keeping a process without a collector waiting for the
   * timeout. `shutdown()` does this by itself.
   */
  processEnding(ending: boolean): void {
    this.#pipeline.processEnding(ending);
  }

  /**
   * Sends what is buffered and waits up to `timeoutMs` for every request so far.
   * @throws {OtlpExportError} naming the endpoint and the reason when records were not delivered.
   */
  forceFlush(): Promise<void> {
    return this.#pipeline.forceFlush();
  }

  /**
   * Stops taking records, sends what is left, waits up to `timeoutMs`, then
   * closes its connections.
   * @throws {OtlpExportError} naming the endpoint and the reason when records were not delivered.
   */
  shutdown(): Promise<void> {
    return this.#pipeline.shutdown();
  }
}
