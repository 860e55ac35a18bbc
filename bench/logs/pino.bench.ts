// createLogger() vs a plain pino logger, one line inside an active span, both
// writing synchronously to /dev/null as pino's default stdout destination does.
// First with no LoggerProvider (the span's ids, serialized once per span, and
// the hook's cheap check), then with one batching records to an exporter that
// counts and discards them: every record is exported (the processors flushed
// every 512 lines) and the count is checked, so nothing measures the drop path.
import { context, logs, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { createLogger } from 'otelkit/pino';
import pino from 'pino';
import { type Arm, compare, report } from '../lib/compare.ts';
import { expectDelivered } from '../lib/delivery.ts';
import { FLUSH_EVERY } from '../lib/sdk.ts';

class CountingExporter<T> {
  received = 0;
  export(items: T[], done: (result: ExportResult) => void): void {
    this.received += items.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const spanExporter: SpanExporter = new CountingExporter<ReadableSpan>();
const recordExporter = new CountingExporter<ReadableLogRecord>();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new TracerProvider({
  spanProcessors: [new BatchSpanProcessor({ exporter: spanExporter })],
});
trace.setGlobalTracerProvider(tracerProvider);
const loggerProvider = new LoggerProvider({
  processors: [new BatchLogRecordProcessor({ exporter: recordExporter as LogRecordExporter })],
});
const flush = () => Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush()]);

const destination = () => pino.destination({ dest: '/dev/null', sync: true });
const plain = pino({}, destination());
const correlated = createLogger({}, destination());
const fields = { orderId: 'o-42', amount: 12.5 };

function arm(name: string, logger: pino.Logger, exporting: boolean): Arm {
  return {
    name,
    run(n) {
      logs.disable();
      if (exporting) logs.setGlobalLoggerProvider(loggerProvider);
      const span = trace.getTracer('bench').startSpan('request');
      context.with(trace.setSpan(context.active(), span), () => {
        for (let i = 0; i < n; i++) logger.info(fields, 'charged card');
      });
      span.end();
    },
  };
}

const options = { rounds: 30, iterations: 20_000, flushEvery: FLUSH_EVERY, flush };
const comparisons = [
  await compare(
    'info line in a span, no LoggerProvider',
    arm('pino()', plain, false),
    arm('createLogger()', correlated, false),
    { ...options, goal: 1.15 },
  ),
  await compare(
    'info line in a span, every line also exported as a log record',
    arm('pino()', plain, true),
    arm('createLogger()', correlated, true),
    options,
  ),
];

// Only createLogger() with a LoggerProvider emits records: one per line.
const exported = comparisons[1]!.operationsPerArm;
await flush();
expectDelivered('log records exported', exported, recordExporter.received);
report('pino', comparisons, { logRecordsExported: exported });
await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown()]);
