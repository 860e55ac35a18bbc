// createLogger() vs a plain pino logger, one line inside an active span, both
// writing synchronously to /dev/null as pino's default stdout destination does.
// First with no LoggerProvider (the span's ids, serialized once per span, and
// the hook's cheap check), then with one batching records to an exporter that drops them.
import { context, logs, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { createLogger } from 'otelkit/pino';
import pino from 'pino';
import { type Arm, compare, report } from '../lib/compare.ts';

const drop = {
  export(_items: unknown[], done: (result: ExportResult) => void): void {
    done({ code: ExportResultCode.SUCCESS });
  },
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new TracerProvider({
  spanProcessors: [new BatchSpanProcessor({ exporter: drop as SpanExporter })],
});
trace.setGlobalTracerProvider(tracerProvider);
const loggerProvider = new LoggerProvider({
  processors: [
    new BatchLogRecordProcessor({
      exporter: drop as unknown as LogRecordExporter & { export(r: ReadableLogRecord[]): void },
    }),
  ],
});

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

const options = { rounds: 30, iterations: 20_000, goal: 1.15 };
const comparisons = [
  await compare(
    'info line in a span, no LoggerProvider',
    arm('pino()', plain, false),
    arm('createLogger()', correlated, false),
    options,
  ),
  await compare(
    'info line in a span, records exported (batch, dropped)',
    arm('pino()', plain, true),
    arm('createLogger()', correlated, true),
    options,
  ),
];

report('pino', comparisons);
await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown()]);
