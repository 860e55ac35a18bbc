import { tracingChannel } from 'node:diagnostics_channel';
import { type Context, context } from '@opentelemetry/api';
import type { ClientOperation } from './client-operation.ts';

// Where the operation rides on the driver's message, from `start` to `asyncStart`:
// a property lookup, cheaper than a WeakMap on every operation.
const OPERATION = Symbol('otelkit.db.operation');

/**
 * The callbacks running now that a driver called with an operation's result
 * (`asyncStart` to `asyncEnd` of a callback-style call). A driver calls them
 * from its socket's events, in the context the connection was made in, not
 * the caller's: an operation the callback starts while that context is still
 * the active one belongs to the caller of the operation that called it back
 * (a pool's query, a query nested in a callback).
 */
const callbacks: { ambient: Context; parent: Context }[] = [];

/** The context an operation starting now was called in: the active one, or the caller's inside a driver's callback. */
export function callerContext(): Context {
  const active = context.active();
  const callback = callbacks.at(-1);
  return callback !== undefined && callback.ambient === active ? callback.parent : active;
}

/** The fields `TracingChannel` sets on a message, and the operation we attach to it. */
export interface TracedMessage {
  error?: unknown;
  result?: unknown;
  [OPERATION]?: ClientOperation;
}

/** What one driver's channel needs: how an operation starts, and how it settles. */
export interface OperationHandlers<Message extends object> {
  /** Called in the caller's context as the driver starts the operation; `undefined` leaves it untraced. */
  start(message: Message): ClientOperation | undefined;
  /** Ends the operation; the message holds `result` or `error`. Ends it plainly when absent. */
  settle?(message: Message, operation: ClientOperation): void;
}

/**
 * Subscribes to the driver's `TracingChannel` named `name`: `start` begins
 * the operation in the caller's context, `error` marks it failed, and it ends
 * when the result is ready (`asyncStart`: before the caller's callback or
 * continuation runs), or at `end` when the call threw at once. Between
 * `asyncStart` and `asyncEnd` the caller's callback runs: see
 * `callerContext()`. Returns the unsubscribe. Nothing a handler does escapes
 * into the driver.
 */
export function subscribeOperations<Message extends object>(
  name: string,
  handlers: OperationHandlers<Message>,
): () => void {
  const channel = tracingChannel<object>(name);
  const settle = handlers.settle;
  const finish = (message: Message, operation: ClientOperation) => {
    try {
      if (settle === undefined) operation.end();
      else settle(message, operation);
    } catch {
      operation.end();
    }
  };
  const subscribers = {
    start(message: object) {
      try {
        const operation = handlers.start(message as Message);
        if (operation !== undefined) (message as TracedMessage)[OPERATION] = operation;
      } catch {
        // Telemetry never breaks the call.
      }
    },
    end(message: object) {
      // An error before `end` was thrown by the call itself: no async events follow.
      const operation = (message as TracedMessage)[OPERATION];
      if (operation?.failed) finish(message as Message, operation);
    },
    asyncStart(message: object) {
      const operation = (message as TracedMessage)[OPERATION];
      if (operation === undefined) return;
      finish(message as Message, operation);
      callbacks.push({ ambient: context.active(), parent: operation.parent });
    },
    asyncEnd(message: object) {
      if ((message as TracedMessage)[OPERATION] !== undefined) callbacks.pop();
    },
    error(message: object) {
      const traced = message as TracedMessage;
      traced[OPERATION]?.fail(traced.error);
    },
  };
  channel.subscribe(subscribers);
  return () => {
    channel.unsubscribe(subscribers);
  };
}
