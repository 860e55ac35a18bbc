import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';

/** The loopback server process of the client benchmarks. */
export interface Loopback {
  readonly url: string;
  /** Requests the server has answered so far. */
  requests(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts `loopback-server.ts` in a child process and waits for its port. */
export async function startLoopback(): Promise<Loopback> {
  const child: ChildProcess = fork(new URL('./loopback-server.ts', import.meta.url), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  return {
    url: `http://127.0.0.1:${port}`,
    async requests() {
      const answer = once(child, 'message') as Promise<[{ requests: number }]>;
      child.send({ count: true });
      return (await answer)[0].requests;
    },
    async stop() {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}
