import { startOperation } from './client-operation.ts';
import { ConnectionSetup, isHandshakeCommand } from './connection-setup.ts';
import type { DatabaseTracer } from './database-tracer.ts';
import { callerContext, subscribeOperations } from './operation-channel.ts';
import { redisQueryText } from './redis-command.ts';

/** What ioredis (5.11 on) publishes on `ioredis:command`. */
interface CommandMessage {
  /** The command's name as the caller wrote it (`get`, `SET`). */
  readonly command: string;
  /** The arguments after the name, values already written `?` by the driver for most commands. */
  readonly args: readonly unknown[];
  readonly database: number;
  readonly serverAddress: string;
  readonly serverPort: number | undefined;
}

/** What ioredis publishes on `ioredis:batch` (a `MULTI` transaction) and `ioredis:connect`. */
interface BatchMessage {
  readonly batchMode?: 'MULTI';
  readonly batchSize?: number;
  readonly database?: number;
  readonly serverAddress: string;
  readonly serverPort: number | undefined;
}

/**
 * Traces ioredis from its tracing channels: each command as it is written,
 * each `MULTI` transaction, and connections. Returns the unsubscribe.
 */
export function subscribeIoredis(tracer: DatabaseTracer): () => void {
  // ioredis names no client on its messages: a handshake command to a server
  // a connection is being set up to is taken for that connection's.
  const settingUp = new ConnectionSetup();
  const command = {
    start(message: CommandMessage) {
      if (tracer.defers('ioredis')) return undefined;
      const name = message.command.toUpperCase();
      if (isHandshakeCommand(name) && settingUp.has(serverKey(message))) return undefined;
      return startOperation(
        {
          name,
          system: 'redis',
          operation: name,
          namespace: String(message.database),
          queryText: tracer.queryText ? redisQueryText(name, message.args) : undefined,
          address: message.serverAddress,
          port: message.serverPort,
        },
        callerContext(),
        tracer.open,
      );
    },
  };
  const batch = {
    start(message: BatchMessage) {
      if (tracer.defers('ioredis')) return undefined;
      const mode = message.batchMode ?? 'MULTI';
      return startOperation(
        {
          name: mode,
          system: 'redis',
          operation: mode,
          namespace: message.database === undefined ? undefined : String(message.database),
          batchSize: message.batchSize,
          address: message.serverAddress,
          port: message.serverPort,
        },
        callerContext(),
        tracer.open,
      );
    },
  };
  const connect = {
    start(message: BatchMessage) {
      if (tracer.defers('ioredis')) return undefined;
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
      if (operation !== undefined) settingUp.begin(serverKey(message));
      return operation;
    },
    settle(message: BatchMessage, operation: { end(): void }) {
      settingUp.end(serverKey(message));
      operation.end();
    },
  };
  const leave = [
    subscribeOperations('ioredis:command', command),
    subscribeOperations('ioredis:batch', batch),
    subscribeOperations('ioredis:connect', connect),
  ];
  return () => {
    for (const unsubscribe of leave) unsubscribe();
  };
}

function serverKey(message: { serverAddress: string; serverPort: number | undefined }): string {
  return `${message.serverAddress}:${message.serverPort}`;
}
