// createLogger() vs a plain pino logger, one line inside an active span, both
// writing synchronously to /dev/null as pino's default stdout destination does.
// First with no LoggerProvider (the span's ids, serialized once per span, and
// the hook's cheap check), then with one exporting records through otelkit's
// OtlpLogRecordProcessor, as setup() installs it, to a sink process: every
// record is exported (the processors flushed every FLUSH_EVERY lines) and the
// count is checked, so nothing measures the drop path. A third comparison
// is the floor of any bridge: a plain line, then a record of the same fields
// handed to the SDK directly (no reading, no correlation).
import { context, logs, SeverityNumber, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { createLogger } from 'otelkit/pino';
import { OtlpLogRecordProcessor, OtlpSpanProcessor } from 'otelkit/setup';
import pino from 'pino';
import { startSpanSink } from '../export/sink-process.ts';
import { type Arm, compare, report } from '../lib/compare.ts';
import { expectDelivered } from '../lib/delivery.ts';
import { FLUSH_EVERY, IdleReader } from '../lib/sdk.ts';

// One sink per signal: each counts the records of its own requests.
const spanSink = await startSpanSink();
const recordSink = await startSpanSink();
const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new TracerProvider({
  spanProcessors: [new OtlpSpanProcessor({ url: spanSink.url, meterProvider })],
});
trace.setGlobalTracerProvider(tracerProvider);
const loggerProvider = new LoggerProvider({
  processors: [
    new OtlpLogRecordProcessor({
      url: recordSink.url.replace('/v1/traces', '/v1/logs'),
      meterProvider,
    }),
  ],
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

/** A plain pino line, then a record of the call's fields emitted by hand. */
function byHand(name: string): Arm {
  const sdkLogger = loggerProvider.getLogger('bench');
  return {
    name,
    run(n) {
      const span = trace.getTracer('bench').startSpan('request');
      const active = trace.setSpan(context.active(), span);
      context.with(active, () => {
        for (let i = 0; i < n; i++) {
          plain.info(fields, 'charged card');
          sdkLogger.emit({
            severityNumber: SeverityNumber.INFO,
            severityText: 'INFO',
            body: 'charged card',
            attributes: { ...fields },
            context: active,
          });
        }
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
    { ...options, goal: 1.5 },
  ),
  await compare(
    'info line in a span, then a record of its fields emitted by hand',
    arm('pino()', plain, true),
    byHand('pino() + emit()'),
    options,
  ),
];

// Records come from createLogger() with a LoggerProvider and from the arm
// that emits by hand: one per line.
const exported = comparisons[1]!.operationsPerArm + comparisons[2]!.operationsPerArm;
await flush();
expectDelivered('log records exported', exported, (await recordSink.stats()).spans);
report('pino', comparisons, { logRecordsExported: exported });
await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]);
spanSink.stop();
recordSink.stop();
