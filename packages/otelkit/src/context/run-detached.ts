import {
  type Attributes,
  context,
  isSpanContextValid,
  type Link,
  type Span,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { withSpan } from '../trace/with-span.ts';
import { deleteSignal } from './current-signal.ts';
import { logFailure } from './report-failure.ts';

/** Options of `runDetached()`. */
export interface RunDetachedOptions {
  /** More attributes of the task's span. */
  attributes?: Attributes;
  /** The tracer to start the span with. @default the `otelkit` tracer */
  tracer?: Tracer;
}

const ignore = () => {};

/**
 * Starts background work that outlives the current request: it keeps the
 * context values but not the cancellation (`withoutCancel`), and runs in a
 * new trace whose span `name` (`task.detached: true`) links to the current
 * span. It starts after the caller's synchronous code. A failure is recorded
 * on its span and logged, and never becomes an unhandled rejection; the
 * returned promise still settles with the outcome for whoever awaits it.
 *
 * @example
 * runDetached('send welcome email', () => mailer.sendWelcome(user));
 * return reply.code(201).send(user);
 */
export function runDetached<T>(
  name: string,
  fn: (span: Span) => T | PromiseLike<T>,
  options: RunDetachedOptions = {},
): Promise<T> {
  const active = context.active();
  const origin = trace.getSpanContext(active);
  const links: Link[] = origin && isSpanContextValid(origin) ? [{ context: origin }] : [];
  const detached = deleteSignal(active);
  const run = () =>
    withSpan(
      name,
      async (span) => {
        try {
          return await fn(span);
        } catch (error) {
          logFailure(`detached task "${name}" failed`, error, { 'task.name': name });
          throw error;
        }
      },
      {
        root: true,
        links,
        attributes: { ...options.attributes, 'task.detached': true },
        ...(options.tracer ? { tracer: options.tracer } : {}),
      },
    );
  const result = Promise.resolve().then(() => context.with(detached, run));
  result.then(undefined, ignore);
  return result;
}
