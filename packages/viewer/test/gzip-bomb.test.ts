import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createDeflate, createGzip } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/index.ts';
import { jsonSpan, jsonTraceRequest } from './otlp-requests.ts';
import { send, startTestViewer } from './support.ts';

let viewer: Viewer;
afterEach(() => viewer?.close());

const GiB = 1024 ** 3;
const MB = 1_000_000;

/**
 * 1 GiB of zeros, produced on demand: the bomb is never held in memory. Each chunk waits for a
 * turn of the event loop, so that the answer is read as soon as it comes, before the server,
 * having answered, closes the connection under a client still writing (which would fail the
 * write with EPIPE and lose the answer).
 */
function zeros(total: number): Readable {
  const chunk = Buffer.alloc(64 * 1024);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      sent += chunk.length;
      setImmediate(() => this.push(chunk));
    },
  });
}

/** Streams `total` zero bytes, compressed on the fly, and resolves with the answer's status. */
function sendBomb(url: string, encoding: 'gzip' | 'deflate', total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const source = zeros(total);
    const compressor = encoding === 'gzip' ? createGzip({ level: 1 }) : createDeflate({ level: 1 });
    const req = request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': encoding },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
      source.destroy();
      compressor.destroy();
      req.destroy();
    });
    req.on('error', (error) => {
      // The server may close the connection right after answering; the answer is what counts.
      const code = (error as NodeJS.ErrnoException).code;
      if (!answered && !(req.destroyed && code === 'ECONNRESET')) reject(error);
    });
    pipeline(source, compressor, req).catch(() => {});
  });
}

it.each(['gzip', 'deflate'] as const)(
  'answers a 1 GiB %s bomb with 413, early and with little memory',
  async (encoding) => {
    viewer = await startTestViewer(); // the default 20 MiB limit
    // A first export warms the viewer up (decode worker, schema), so the baseline is steady.
    const warmUp = await send(`${viewer.url}/v1/traces`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(jsonTraceRequest([jsonSpan()])),
    });
    expect(warmUp.status).toBe(200);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      expect(await sendBomb(`${viewer.url}/v1/traces`, encoding, GiB)).toBe(413);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    // Inflating the whole GiB into memory would take it; stopping at 20 MiB does not.
    expect(peak - baseline).toBeLessThan(50 * MB);
    const health = await fetch(`${viewer.url}/api/services`);
    expect(health.status).toBe(200);
  },
);

describe('waves of bombs', () => {
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  // Resident memory of a process, from Linux's /proc.
  const rssMb = (pid: number) =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

  it.skipIf(process.platform !== 'linux')(
    'are refused (413, or 503 past the bodies held at once), and memory comes back under 300 MB',
    async () => {
      child = spawn(process.execPath, [cli, '--port', '0', '--db', ':memory:'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child!.stdout!.on('data', (chunk: Buffer) => {
          output += chunk;
          const match = /listening on (\S+)/.exec(output);
          if (match) resolve(match[1]!);
        });
        child!.once('exit', (code) => reject(new Error(`the viewer exited with ${code}`)));
      });
      const statuses: number[] = [];
      for (let wave = 0; wave < 5; wave++) {
        // As many at once as the viewer reads at once: 16 × 20 MiB, were each read to its limit.
        const answers = Array.from({ length: 16 }, (_, i) =>
          sendBomb(`${url}/v1/traces`, i % 2 === 0 ? 'gzip' : 'deflate', GiB),
        );
        statuses.push(...(await Promise.all(answers)));
      }
      expect(new Set(statuses)).toEqual(new Set([413, 503]));
      const health = await fetch(`${url}/api/services`);
      expect(health.status).toBe(200);
      expect(rssMb(child.pid!)).toBeLessThan(300);
    },
    120_000,
  );
});
