import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../packages/viewer/src/cli.ts', import.meta.url));

/** The viewer CLI running in its own process, so its memory is measured alone. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident memory now and at its peak, in MB (from /proc on Linux; 0 elsewhere). */
  memory(): { rssMb: number; peakRssMb: number };
  stop(): Promise<void>;
}

/** Starts `otelkit-viewer --port 0` with `args` and waits for its "listening on" line. */
export async function startServerProcess(args: string[]): Promise<ServerProcess> {
  // VIEWER_BENCH_NODE_ARGS passes flags to the viewer's node, e.g. --cpu-prof for a profile.
  const nodeArgs = process.env.VIEWER_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, cli, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`viewer exited with ${code}`)));
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    memory() {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = (field: string) =>
          Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
        return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
      } catch {
        return { rssMb: 0, peakRssMb: 0 };
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
