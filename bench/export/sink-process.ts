import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** What the sink has acknowledged so far. */
export interface SinkStats {
  spans: number;
  requests: number;
  bytes: number;
}

/** The sink process, driven from the benchmark. */
export interface SpanSink {
  /** The trace URL to export to. */
  readonly url: string;
  stats(): Promise<SinkStats>;
  /** `ok` answers 200, `hang` never answers, `refuse` stops listening. */
  mode(to: 'ok' | 'hang' | 'refuse'): Promise<void>;
  stop(): void;
}

/** Starts `span-sink.ts` in its own process (its CPU is not the benchmark's). */
export async function startSpanSink(): Promise<SpanSink> {
  const child = spawn(process.execPath, [new URL('./span-sink.ts', import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const lines = createInterface({ input: child.stdout! });
  let address: { url: string; control: string } | undefined;
  for await (const line of lines) {
    address = JSON.parse(line) as { url: string; control: string };
    break;
  }
  if (!address) throw new Error('the sink exited before listening');
  const { url, control } = address;
  const call = async (path: string) => {
    const response = await fetch(`${control}${path}`, { method: 'POST' });
    return (await response.json()) as SinkStats;
  };
  return {
    url,
    stats: () => call('/stats'),
    mode: async (to) => {
      await call(`/mode?to=${to}`);
    },
    stop: () => child.kill(),
  };
}
