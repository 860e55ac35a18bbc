import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { resolveOtlpExportConfig } from './export-config.ts';
import { encodeLogRecord } from './log-record-encoder.ts';
import type { OtlpLogRecordProcessorOptions } from './otlp-export-options.ts';
import { OtlpProcessor } from './otlp-processor.ts';

/**
 * A log record processor with its own OTLP/HTTP protobuf exporter: each
 * record is encoded as it is emitted into a buffer bounded in bytes, and
 * sent, retried and counted as `OtlpSpanProcessor` does for spans. Register
 * it after processors that change records: it encodes what it sees.
 *
 * @example
 * const provider = new LoggerProvider({ processors: [new OtlpLogRecordProcessor()] });
 */
export class OtlpLogRecordProcessor
  extends OtlpProcessor<ReadWriteLogRecord>
  implements LogRecordProcessor
{
  /** @throws {TypeError | RangeError} when an option is invalid, naming it and its value. */
  constructor(options: OtlpLogRecordProcessorOptions = {}) {
    const config = resolveOtlpExportConfig('logs', options);
    super(config, 'log records', encodeLogRecord, options.meterProvider);
  }

  /** Encodes the record into the buffer, or counts it dropped; never throws. */
  onEmit(record: ReadWriteLogRecord): void {
    this.add(record);
  }
}
