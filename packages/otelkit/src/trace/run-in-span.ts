import { type Attributes, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { errorMessage } from '../errors/describe-error.ts';
import { recordError } from '../errors/record-error.ts';
import { endTimeSince, wallTimeAt } from '../internal/clock.ts';
import { defaultTracer } from './default-tracer.ts';
import type { WithSpanOptions } from './span-options.ts';

/**
 * The one span runner behind `withSpan`, `traced` and `@traceMethod`: starts
 * a span as a child of the active context, runs `fn` with that span active,
 * and ends the span exactly once, when `fn` returns or throws, or, for a
 * thenable result, when it settles. A sync result is returned as is; a
 * thenable becomes the promise of its settlement, with the same value or
 * error. Errors are recorded and rethrown unchanged.
 *
 * `attributes` are the span's start attributes (the caller merges its own);
 * the rest comes from `options`. `fn` is called with the span when `args` is undefined (`withSpan`), else
 * with `args` and `thisArg` (a decorated method). No closure is created for a
 * sync `fn`, so the cost over a hand-written `startActiveSpan` stays small.
 */
export function runInSpan(
  name: string,
  options: WithSpanOptions | undefined,
  attributes: Attributes | undefined,
  fn: (...args: never[]) => unknown,
  thisArg: unknown,
  args: readonly unknown[] | undefined,
): unknown {
  const tracer = options?.tracer ?? defaultTracer();
  const parent = context.active();
  // Sub-millisecond start and end: the SDK's own stamps are whole milliseconds.
  // The end is the start plus monotonic time: a wall-clock step changes no duration.
  const started = performance.now();
  const startTime = wallTimeAt(started);
  // The options object is written out, not spread: cheaper on every call.
  const span = tracer.startSpan(
    name,
    {
      kind: options?.kind,
      attributes,
      links: options?.links,
      root: options?.root,
      startTime,
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  let result: unknown;
  try {
    result =
      args === undefined
        ? context.with(active, fn as (span: Span) => unknown, undefined, span)
        : context.with(active, Reflect.apply, undefined, fn, thisArg, args);
  } catch (error) {
    fail(span, error);
    span.end(endTimeSince(startTime, started));
    throw error;
  }
  if (isThenable(result)) return endWhenSettled(span, result, startTime, started);
  span.end(endTimeSince(startTime, started));
  return result;
}

function endWhenSettled(
  span: Span,
  result: PromiseLike<unknown>,
  startTime: number,
  started: number,
): unknown {
  // `Promise.resolve` returns a native promise as is, and adopts other thenables.
  return Promise.resolve(result).then(
    (value) => {
      span.end(endTimeSince(startTime, started));
      return value;
    },
    (error: unknown) => {
      fail(span, error);
      span.end(endTimeSince(startTime, started));
      throw error;
    },
  );
}

function fail(span: Span, error: unknown): void {
  recordError(error, { span });
  try {
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
  } catch {
    // Telemetry never throws into user code.
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}
