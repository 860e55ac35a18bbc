import type { ChildProcess } from 'node:child_process';

/** A message between the runner and its server or load process. */
export interface Message {
  readonly type: string;
}

/**
 * The next message of `type` from `child`. Rejects when the child exits first,
 * or after `hangMs`, which only catches a hung child: no figure depends on it.
 */
export function nextMessage<T extends Message>(
  child: ChildProcess,
  type: T['type'],
  hangMs = 180_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Message) => {
      if (message.type !== type) return;
      settle();
      resolve(message as T);
    };
    const onExit = (code: number | null, signal: string | null) => {
      settle();
      reject(new Error(`${describe(child)} exited (${signal ?? code}) before sending ${type}`));
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`${describe(child)} sent no ${type} in ${hangMs / 1000} s`));
    }, hangMs);
    const settle = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function describe(child: ChildProcess): string {
  return child.spawnargs.slice(-3).join(' ');
}
