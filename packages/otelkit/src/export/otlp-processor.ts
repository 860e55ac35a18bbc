import type { MeterProvider } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ResolvedOtlpExportConfig } from './export-config.ts';
import { type ExportItem, ExportPipeline } from './export-pipeline.ts';
import type { Scope } from './origin-encoder.ts';
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
   * all (`false`). While it ends, requests waiting to retry try again at once,
   * a backend that cannot be reached at all (connection refused, host not
   * found) is not retried, and failures are left to the flush or shutdown
   * that ends the process to report, once. With `timeLeftMs`, `forceFlush()`
   * and `shutdown()` return within that time from now, whatever the backend
   * does: `shutdown()` then aborts the requests still open and counts their
   * records as not exported. `setup()` does all this for its processors.
   */
  processEnding(ending: boolean, timeLeftMs?: number): void {
    this.#pipeline.processEnding(ending, timeLeftMs);
  }

  /**
   * Records ended and not yet done with: waiting in the buffer or in
   * requests still open. What a process that exits now would lose.
   */
  get pendingCount(): number {
    return this.#pipeline.pendingCount;
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

  /** Adds a record encoded earlier (see `ExportPipeline.addEncoded`), or counts it dropped; never throws. */
  protected addEncoded(
    resource: Resource,
    scope: Scope,
    source: Buffer,
    offset: number,
    length: number,
  ): void {
    this.#pipeline.addEncoded(resource, scope, source, offset, length);
  }

  /** Counts a record lost before it reached the buffer, with `type` as its `error.type`. */
  protected dropped(type: string, reason: string): void {
    this.#pipeline.dropped(type, reason);
  }
}
