import { type Context, trace } from '@opentelemetry/api';
import { startOperation } from './client-operation.ts';
import { ConnectionSetup } from './connection-setup.ts';
import type { DatabaseTracer } from './database-tracer.ts';
import { callerContext, subscribeOperations } from './operation-channel.ts';
import { redisQueryText } from './redis-command.ts';

/** What node-redis (`@redis/client` 5.12 on) publishes on `node-redis:command`. */
interface CommandMessage {
  /** The command's name in capitals. */
  readonly command: string;
  /** The name and the arguments, values already written `?` by the driver for most commands. */
  readonly args: readonly unknown[];
  readonly database: number;
  readonly serverAddress: string;
  readonly serverPort: number | undefined;
  readonly clientId: string;
  /** Set on the commands of a pipeline, published inside its batch. */
  readonly batchMode?: 'MULTI' | 'PIPELINE';
}

/** What node-redis publishes on `node-redis:batch` (a `MULTI` or a pipeline) and `node-redis:connect`. */
interface BatchMessage {
  readonly batchMode?: 'MULTI' | 'PIPELINE';
  readonly batchSize?: number;
  readonly database?: number;
  readonly serverAddress: string;
  readonly serverPort: number | undefined;
  readonly clientId: string;
}

/**
 * Traces node-redis (`redis`, `@redis/client`) from its tracing channels:
 * each command, each `MULTI` and pipeline as one span with the pipeline's
 * commands as its children, and connections. Returns the unsubscribe.
 */
export function subscribeNodeRedis(tracer: DatabaseTracer): () => void {
  // A pipeline publishes its commands while its batch starts, in the same turn:
  // they become children of the batch span, which the channel cannot make active.
  let batch: { clientId: string; context: Context } | undefined;
  const settingUp = new ConnectionSetup();

  const command = {
    start(message: CommandMessage) {
      if (tracer.defers('node-redis')) return undefined;
      // The client's own handshake belongs to its connect span.
      if (settingUp.has(message.clientId)) return undefined;
      const name = message.command;
      const parent =
        message.batchMode !== undefined && batch?.clientId === message.clientId
          ? batch.context
          : callerContext();
      return startOperation(
        {
          name,
          system: 'redis',
          operation: name,
          namespace: String(message.database),
          queryText: tracer.queryText ? redisQueryText(name, message.args, 1) : undefined,
          address: message.serverAddress,
          port: message.serverPort,
        },
        parent,
        tracer.open,
      );
    },
  };
  const batches = {
    start(message: BatchMessage) {
      if (tracer.defers('node-redis')) return undefined;
      const mode = message.batchMode ?? 'PIPELINE';
      const parent = callerContext();
      const operation = startOperation(
        {
          name: mode,
          system: 'redis',
          operation: mode,
          namespace: message.database === undefined ? undefined : String(message.database),
          batchSize: message.batchSize,
          address: message.serverAddress,
          port: message.serverPort,
        },
        parent,
        tracer.open,
      );
      if (operation !== undefined) {
        batch = { clientId: message.clientId, context: trace.setSpan(parent, operation.span) };
      }
      return operation;
    },
    settle(_message: BatchMessage, operation: { end(): void }) {
      batch = undefined;
      operation.end();
    },
  };
  const connect = {
    start(message: BatchMessage) {
      if (tracer.defers('node-redis')) return undefined;
      const operation = startOperation(
        {
          name: 'connect',
          system: 'redis',
          operation: undefined,
          connection: true,
          address: message.serverAddress,
          port: message.serverPort,
        },
        callerContext(),
        tracer.open,
      );
      // Only a traced connect is ever settled, so only one is counted as setting up.
      if (operation !== undefined) settingUp.begin(message.clientId);
      return operation;
    },
    settle(message: BatchMessage, operation: { end(): void }) {
      settingUp.end(message.clientId);
      operation.end();
    },
  };
  const leave = [
    subscribeOperations('node-redis:command', command),
    subscribeOperations('node-redis:batch', batches),
    subscribeOperations('node-redis:connect', connect),
  ];
  return () => {
    for (const unsubscribe of leave) unsubscribe();
  };
}
