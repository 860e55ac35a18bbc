import { inspect } from 'node:util';
import { SpanStatusCode } from '@opentelemetry/api';
import { logFailure } from '../context/report-failure.ts';
import { errorMessage, errorTypeAttribute } from '../errors/describe-error.ts';
import { recordError, spanThatRecorded } from '../errors/record-error.ts';
import { endTimeSince, wallTimeAt } from '../internal/clock.ts';
import { defaultTracer } from '../trace/default-tracer.ts';
import { flushTelemetry } from './flush-telemetry.ts';

/** Options of `captureCrashes()`. */
export interface CaptureCrashesOptions {
  /** Exit with code 1 once the crash is recorded and flushed, as Node would have. @default true */
  exit?: boolean;
  /** The longest wait for the flush before exiting. @default 5000 */
  flushTimeoutMs?: number;
}

/** What crashed the process: Node's event names. */
export type CrashKind = 'uncaughtException' | 'unhandledRejection';

/**
 * Records a crash while it can still be exported: a span named after the
 * event, with status `ERROR`, and a `FATAL` log record. The error is recorded
 * on the span, unless a span recorded it already (it escaped a `withSpan`):
 * then the crash span links to that span instead, so that one crash counts
 * as one error.
 */
export function recordCrash(error: unknown, kind: CrashKind, fatal: boolean): void {
  try {
    const started = performance.now();
    const startTime = wallTimeAt(started);
    const recorded = spanThatRecorded(error);
    const span = defaultTracer().startSpan(kind, {
      attributes: { 'crash.kind': kind },
      startTime,
      ...(recorded === undefined ? {} : { links: [{ context: recorded }] }),
    });
    if (recorded === undefined) recordError(error, { span });
    else span.setAttribute('error.type', errorTypeAttribute(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
    span.end(endTimeSince(startTime, started));
  } catch {
    // Telemetry never throws, least of all while the process is crashing.
  }
  logFailure(
    `${kind}: ${errorMessage(error)}`,
    error,
    { 'crash.kind': kind },
    fatal ? 'fatal' : 'error',
  );
}

/**
 * Node's last-chance handler, with telemetry: on `uncaughtException` or
 * `unhandledRejection` it prints the error, records it (span + log record),
 * flushes every registered provider within `flushTimeoutMs`, then exits with
 * code 1 unless `exit: false` (the Go guide's panic recovery, for the whole
 * process). Install it once, right after `setup()`. Returns the uninstall function.
 *
 * @example
 * const telemetry = setup();
 * captureCrashes();
 */
export function captureCrashes(options: CaptureCrashesOptions = {}): () => void {
  const exit = options.exit ?? true;
  const flushTimeoutMs = options.flushTimeoutMs ?? 5_000;
  let flushing = false;

  const onCrash = (error: unknown, kind: CrashKind) => {
    if (exit) process.exitCode = 1;
    process.stderr.write(`otelkit: ${kind}\n${inspect(error)}\n`);
    recordCrash(error, kind, exit);
    // A second crash during the flush is recorded and rides on the flush under way.
    if (flushing) return;
    flushing = true;
    flushTelemetry(flushTimeoutMs, exit).then(() => {
      flushing = false;
      if (exit) process.exit(1);
    });
  };
  const onException = (error: unknown) => onCrash(error, 'uncaughtException');
  const onRejection = (reason: unknown) => onCrash(reason, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
