import type { MeterProvider } from '@opentelemetry/api';
import type { ResolvedOtlpExportConfig } from './export-config.ts';
import { type ExportItem, ExportPipeline } from './export-pipeline.ts';
import type { Encoder } from './record-buffer.ts';

/**
 * What `OtlpSpanProcessor` and `OtlpLogRecordProcessor` share: the export
 * pipeline behind them, its configuration, flush, shutdown, and the end of
 * the process.
 */
export abstract class OtlpProcessor<T extends ExportItem> {
  readonly #pipeline: ExportPipeline<T>;

  protected constructor(
    config: ResolvedOtlpExportConfig,
    items: string,
    encode: Encoder<T>,
    meterProvider: MeterProvider | undefined,
  ) {
    this.#pipeline = new ExportPipeline(config, items, encode, meterProvider);
  }

  /** The effective configuration (header values left out). */
  get config(): ResolvedOtlpExportConfig {
    return this.#pipeline.config;
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
   * closes its connections: nothing of it keeps the process alive after.
   * @throws {OtlpExportError} naming the endpoint and the reason when records were not delivered.
   */
  shutdown(): Promise<void> {
    return this.#pipeline.shutdown();
  }

  /** Encodes a record into the buffer, or counts it dropped; never throws. */
  protected add(record: T): void {
    this.#pipeline.add(record);
  }
}
