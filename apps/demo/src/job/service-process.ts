import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../service/main.ts', import.meta.url));

export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Waits until detached background work (welcome mails) is done, at most `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
  /** SIGTERM: the service flushes its telemetry and exits; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the users service as its own process, exporting OTLP to `otlpEndpoint`. */
export async function startService(
  otlpEndpoint: string,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--conditions=otelkit-source', entry], {
    env: {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
      OTEL_BSP_SCHEDULE_DELAY: '500',
      DEMO_METRIC_INTERVAL_MS: '2000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk;
      const match = /^ready (\S+)$/m.exec(buffered);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`the users service exited with ${code} before it was ready`)),
    );
  });
  child.stdout?.resume();
  return {
    url,
    child,
    async drain(timeoutMs) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const health = (await (await fetch(`${url}/health`)).json()) as {
          pendingBackgroundTasks: number;
        };
        if (health.pendingBackgroundTasks === 0) return;
        await sleep(100);
      }
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
